variable "cidr_block" {
  description = "The address range of the network."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0))
    error_message = "cidr_block must be a valid IPv4 CIDR block, e.g. 10.0.0.0/16."
  }
}

variable "zones" {
  description = "Availability zones to spread subnets over."
  type        = list(string)
  default     = ["zone-a", "zone-b"]
}

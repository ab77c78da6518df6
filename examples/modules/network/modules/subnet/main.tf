variable "cidr_block" {
  type = string
}

variable "zone" {
  type = string
}

variable "tier" {
  type = string
}

output "cidr_block" {
  value = var.cidr_block
}

output "name" {
  value = "${var.tier}-${var.zone}"
}

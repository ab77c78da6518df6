# A small, real OpenTofu module used by the demo and the tests: it computes a VPC-style
# address plan without any provider, so `tofu init` and `tofu plan` work offline.

locals {
  subnet_bits = ceil(log(length(var.zones) * 2, 2))
}

module "public" {
  source   = "./modules/subnet"
  for_each = { for index, zone in var.zones : zone => index }

  cidr_block = cidrsubnet(var.cidr_block, local.subnet_bits, each.value)
  zone       = each.key
  tier       = "public"
}

module "private" {
  source   = "./modules/subnet"
  for_each = { for index, zone in var.zones : zone => index }

  cidr_block = cidrsubnet(var.cidr_block, local.subnet_bits, length(var.zones) + each.value)
  zone       = each.key
  tier       = "private"
}

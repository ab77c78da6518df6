output "public_subnets" {
  description = "Public subnets by zone."
  value       = { for zone, subnet in module.public : zone => subnet.cidr_block }
}

output "private_subnets" {
  description = "Private subnets by zone."
  value       = { for zone, subnet in module.private : zone => subnet.cidr_block }
}

export { buildZip, type ZipSpec } from "@tofu-oci/testkit";

/** The fake provider package of OpenTofu's tests (internal/getproviders/mock_source.go). */
export const FAKE_PROVIDER = {
  name: "terraform-provider-test_1.2.3",
  content: "This is a fake provider package for registry.opentofu.org/hashicorp/test 1.2.3, not a real provider.\n",
  /** Asserted in internal/command/init_test.go. */
  h1: "h1:8CjxaUBuegKZSFnRos39Fs+CS78ax0Dyb7aIA5XBiNI=",
  address: "registry.opentofu.org/hashicorp/test",
};

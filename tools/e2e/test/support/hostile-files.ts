/** A provider release zip's executable entry. */
export const providerExecutable = (type: string, version: string) => ({
  name: `terraform-provider-${type}_v${version}`,
  content: "#!/bin/sh\n",
  mode: 0o755,
});

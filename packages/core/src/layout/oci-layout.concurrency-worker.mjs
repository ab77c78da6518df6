// Tags one manifest N times from its own process, to test that concurrent writers lose nothing.
// Usage: node worker.mjs DIST_LAYOUT_MODULE LAYOUT_DIR DESCRIPTOR_JSON TAG_PREFIX N
const [modulePath, root, descriptor, prefix, count] = process.argv.slice(2);
const { OciLayout } = await import(modulePath);
const layout = await OciLayout.open(root);
for (let i = 0; i < Number(count); i++) await layout.tag(JSON.parse(descriptor), `${prefix}-${i}`);

import { BlockedOriginsPanel } from '../../features/blocked-origins/index.js';
import { useSlug } from './tenant-layout.js';

export function BlockedOriginsRoute() {
  const slug = useSlug();
  return <BlockedOriginsPanel key={slug} slug={slug} />;
}

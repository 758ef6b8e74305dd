import { BlockedOriginsPanel } from '../../features/blocked-origins/components/blocked-origins-panel.js';
import { useSlug } from './tenant-layout.js';

export function BlockedOriginsRoute() {
  const slug = useSlug();
  return <BlockedOriginsPanel key={slug} slug={slug} />;
}

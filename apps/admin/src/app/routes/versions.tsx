import { VersionsPanel } from '../../features/versions/index.js';
import { useSlug } from './tenant-layout.js';

export function VersionsRoute() {
  const slug = useSlug();
  return <VersionsPanel key={slug} slug={slug} />;
}

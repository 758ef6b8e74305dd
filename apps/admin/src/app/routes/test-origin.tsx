import { TestOriginPanel } from '../../features/simulate/components/test-origin-panel.js';
import { useSlug } from './tenant-layout.js';

export function TestOriginRoute() {
  const slug = useSlug();
  return <TestOriginPanel key={slug} slug={slug} />;
}

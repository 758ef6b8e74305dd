import { TestOriginPanel } from '../../features/simulate/index.js';
import { useSlug } from './tenant-layout.js';

export function TestOriginRoute() {
  const slug = useSlug();
  return <TestOriginPanel key={slug} slug={slug} />;
}

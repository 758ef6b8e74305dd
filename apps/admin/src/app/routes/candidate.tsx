import { CandidatePage } from '../../features/candidate/index.js';
import { useSlug } from './tenant-layout.js';

export function CandidateRoute() {
  const slug = useSlug();
  return <CandidatePage key={slug} slug={slug} />;
}

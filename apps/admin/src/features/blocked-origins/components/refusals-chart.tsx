import { useState } from 'react';
import { Text } from '@mantine/core';
import { bucketLabel, type BucketSize } from '../lib/time-buckets.js';

export interface Bar {
  start: string;
  /** Undefined while loading: the bar is drawn grey and empty. */
  count: number | undefined;
}

/** Refusals per time bucket as a plain SVG bar chart (no charting library for one chart). */
export function RefusalsChart({
  bars,
  bucket,
  loading,
}: {
  bars: Bar[];
  bucket: BucketSize;
  loading: boolean;
}) {
  const counts = bars.map((b) => b.count);
  const max = Math.max(1, ...counts.map((c) => c ?? 0));
  const total = counts.reduce<number>((a, c) => a + (c ?? 0), 0);
  const [hover, setHover] = useState<number | null>(null);
  // A y axis on the left (its labels need room), the bars to its right.
  const axis = 36;
  const w = 720;
  const h = 140;
  const gap = 2;
  const bw = (w - axis) / Math.max(1, bars.length) - gap;
  const ticks = max <= 1 ? [0, 1] : [0, Math.round(max / 2), max];
  const hovered = hover === null ? undefined : bars[hover];
  const labelEvery = Math.ceil(bars.length / 8);
  return (
    <figure style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${w} ${h + 20}`}
        width="100%"
        role="img"
        aria-label={`Refusals over time: ${total} in total${loading ? ' (loading)' : ''}`}
        data-testid="refusals-chart"
        style={{ maxHeight: 200 }}
      >
        {ticks.map((t) => {
          const y = h - Math.round((t / max) * (h - 10));
          return (
            <g key={t} data-testid="refusals-tick">
              <line x1={axis} x2={w} y1={y} y2={y} stroke="var(--mantine-color-gray-2)" />
              <text
                x={axis - 6}
                y={y + 3}
                fontSize={10}
                textAnchor="end"
                fill="var(--mantine-color-gray-6)"
              >
                {t}
              </text>
            </g>
          );
        })}
        <line x1={axis} x2={w} y1={h} y2={h} stroke="var(--mantine-color-gray-4)" />
        <line x1={axis} x2={axis} y1={0} y2={h} stroke="var(--mantine-color-gray-4)" />
        {bars.map((b, i) => {
          const c = b.count ?? 0;
          const bh = Math.round((c / max) * (h - 10));
          const x = axis + i * (bw + gap);
          const label = bucketLabel(b.start, bucket);
          return (
            <g
              key={b.start}
              onMouseEnter={() => setHover(i)}
              onMouseLeave={() => setHover((v) => (v === i ? null : v))}
            >
              {/* A full-height hit area, so a short bar is as easy to point at as a tall one. */}
              <rect x={x} y={0} width={bw + gap} height={h} fill="transparent" />
              <rect
                x={x}
                y={h - bh}
                width={bw}
                height={Math.max(bh, c > 0 ? 2 : 0)}
                rx={2}
                fill={
                  b.count === undefined
                    ? 'var(--mantine-color-gray-2)'
                    : hover === i
                      ? 'var(--mantine-color-red-7)'
                      : 'var(--mantine-color-red-5)'
                }
                data-testid="refusals-bar"
              >
                <title>{`${label}${bucket === 'day' ? ' (UTC)' : ''}: ${c} refusal${c === 1 ? '' : 's'}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text
                  x={x + bw / 2}
                  y={h + 14}
                  fontSize={10}
                  textAnchor="middle"
                  fill="var(--mantine-color-gray-6)"
                >
                  {label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <Text size="sm" aria-live="polite" data-testid="refusals-hover" mih={22}>
        {hovered
          ? `${bucketLabel(hovered.start, bucket)}${bucket === 'day' ? ' (UTC)' : ''}: ${hovered.count ?? 0} refusal${hovered.count === 1 ? '' : 's'}`
          : ''}
      </Text>
      <Text component="figcaption" size="xs" c="dimmed">
        {total} refusal{total === 1 ? '' : 's'} in this period · peak{' '}
        {max === 1 && total === 0 ? 0 : max} per {bucket === 'hour' ? 'hour' : 'day (UTC)'}
      </Text>
    </figure>
  );
}

import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { PoliciesRepository } from './policies.repository.js';

export interface ExportFile {
  version: number;
  contentType: string;
  filename: string;
  body: string;
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The live policy as a file. CSV carries the allow-list only, in the columns the import reads, so an export
 * imports back as it is (cells are not rewritten against spreadsheet formulas: that would change the notes).
 */
@Injectable()
export class PolicyExportService {
  constructor(private readonly policies: PoliciesRepository) {}

  async export(tenant: TenantRecord, format: 'json' | 'csv'): Promise<ExportFile> {
    const current = await this.policies.getCurrent(tenant.id);
    if (!current) throw new AppError('not-found', `Tenant "${tenant.slug}" has no policy`);
    const filename = `${tenant.slug}-policy-v${current.version}.${format}`;
    if (format === 'json') {
      return {
        version: current.version,
        contentType: 'application/json; charset=utf-8',
        filename,
        body: JSON.stringify({ ...current.document, version: current.version }),
      };
    }
    const rows = current.document.origins.map(
      (o) => `${csvCell(o.pattern)},${csvCell(o.note)},${csvCell(o.expiresAt)}`,
    );
    return {
      version: current.version,
      contentType: 'text/csv; charset=utf-8',
      filename,
      body: ['pattern,note,expiresAt', ...rows].join('\r\n') + '\r\n',
    };
  }
}

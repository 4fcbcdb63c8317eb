import type { UnsupportedRecord as Unsupported } from '../api/records';

/** A record that failed the schema: shown for what it is, with its raw id, never as valid. */
export function UnsupportedRecordNote({ record }: { record: Unsupported }) {
  return (
    <span className="unsupported" data-testid="unsupported-record" title={record.problems.join('\n')}>
      <span className="badge badge-warning">unsupported record</span> <code>{record.raw_id}</code>
    </span>
  );
}

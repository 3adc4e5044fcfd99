-- Quarantined rows by source and reason; a source with none has one row of 0, so the
-- table is never empty (Evidence cannot load an empty source table).
select l.source, coalesce(q.reason, '(none)') as reason,
       coalesce(sum(q.row_count), 0) as row_count, count(distinct q.source_file) as files
from (
    select distinct source, raw_table
    from read_parquet('serving/parquet/landing_ledger/*.parquet')
    where raw_table is not null
) l
left join read_parquet('serving/parquet/quarantine_by_reason/*.parquet') q using (raw_table)
group by all

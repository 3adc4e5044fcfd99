{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'mart_comtrade_coverage'}}}) }}
-- Coverage, reported not enforced (a warning): in Comtrade a reporter's partner-World
-- record is its total over all partners, so a complete download adds up within 1%
-- (or USD 1,000); a download of some partners does not, and that is how most people
-- download Comtrade. Lists each total whose partners do not add up, from
-- mart_comtrade_coverage (which holds every comparison, complete or not).
select *
from {{ ref('mart_comtrade_coverage') }}
where not is_partner_sum_complete {{ in_run_years() }}
order by abs(gap_usd) desc

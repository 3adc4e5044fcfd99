-- Membership by date: a country is a member of a bloc on day d when
-- valid_from <= d and (valid_to is null or d <= valid_to).
with memberships as (
    select * from {{ ref('bloc_memberships') }}
),

final as (
    select
        bloc_code,
        iso3,
        valid_from,
        valid_to,
        source,
        confidence
    from memberships
)

select * from final

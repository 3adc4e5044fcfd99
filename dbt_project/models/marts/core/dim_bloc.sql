with blocs as (
    select * from {{ ref('blocs') }}
),

final as (
    select
        bloc_code,
        name,
        kind,
        description,
        source
    from blocs
)

select * from final

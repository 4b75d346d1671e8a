-- One row per group a release has touched, keyed as the agreement releases it (the period as published; border
-- point and nationality empty when the agreement coarsens them away). A release locks the rows of its groups
-- before it reads them: releases that share a group run one after the other, in the order their version numbers
-- are drawn, while releases of one country on different groups (other border points, other weeks) run at the
-- same time. Row locks, unlike advisory locks, do not fill PostgreSQL's shared lock table however many groups a
-- release touches.
CREATE TABLE release_groups (
    reporting_country char(3) NOT NULL,
    period            date    NOT NULL,
    category          text    NOT NULL,
    border_point      text    NOT NULL,
    nationality       text    NOT NULL,
    submission_id     uuid    NOT NULL,
    PRIMARY KEY (reporting_country, period, category, border_point, nationality)
);

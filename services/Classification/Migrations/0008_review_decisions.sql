-- Every decision a steward took through the review (/api/review/decisions), with the diff it wrote into policy/.
CREATE TABLE IF NOT EXISTS review_decisions (
    id             bigserial   PRIMARY KEY,
    decided_at     timestamptz NOT NULL,
    decided_by     text        NOT NULL,
    country        char(3)     NOT NULL,
    kind           text        NOT NULL,
    written        text        NOT NULL,
    action         text        NOT NULL,
    code           text,
    reason         text,
    policy_digest  text        NOT NULL,
    diff           text        NOT NULL
);
CREATE INDEX IF NOT EXISTS review_decisions_country ON review_decisions (country, id);

-- The regional standard (categories drawn from FRAN's indicators and IOM's glossary).
CREATE TABLE regional_categories (
    code        text PRIMARY KEY,
    description text NOT NULL
);
INSERT INTO regional_categories VALUES
 ('REGULAR_ENTRY', 'Regular entry'),
 ('IRREGULAR_ENTRY', 'Irregular entry (unauthorized crossing)'),
 ('TRANSIT', 'Transit observed at a flow-monitoring point'),
 ('REFUSAL_OF_ENTRY', 'Refusal of entry'),
 ('ASYLUM_APPLICATION', 'Asylum application'),
 ('REFUGEE_STATUS_GRANTED', 'Refugee status granted'),
 ('REGULARIZATION_GRANTED', 'Regularization or temporary protection granted'),
 ('VOLUNTARY_RETURN', 'Voluntary return'),
 ('FORCED_RETURN', 'Forced return'),
 ('TRAFFICKING_VICTIM', 'Identified victim of trafficking'),
 ('SMUGGLER_DETECTED', 'Detected smuggler'),
 ('FORGED_DOCUMENT', 'Forged document detected'),
 ('MISSING_MIGRANT', 'Missing migrant');

-- National category (normalized: lower case, no accents, single spaces) to regional category, per reporting country.
CREATE TABLE category_map (
    reporting_country char(3) NOT NULL,
    national_category text    NOT NULL,
    regional_category text    NOT NULL REFERENCES regional_categories,
    PRIMARY KEY (reporting_country, national_category)
);
INSERT INTO category_map VALUES
 ('CHL', 'ingreso por paso no habilitado', 'IRREGULAR_ENTRY'),
 ('CHL', 'ingreso regular', 'REGULAR_ENTRY'),
 ('CHL', 'solicitud de refugio', 'ASYLUM_APPLICATION'),
 ('CHL', 'reconduccion', 'REFUSAL_OF_ENTRY'),
 ('COL', 'ingreso irregular', 'IRREGULAR_ENTRY'),
 ('COL', 'ingreso regular', 'REGULAR_ENTRY'),
 ('COL', 'ppt otorgado', 'REGULARIZATION_GRANTED'),
 ('COL', 'pep otorgado', 'REGULARIZATION_GRANTED'),
 ('COL', 'transito', 'TRANSIT'),
 ('COL', 'inadmision', 'REFUSAL_OF_ENTRY'),
 ('PER', 'ingreso irregular', 'IRREGULAR_ENTRY'),
 ('PER', 'ingreso regular', 'REGULAR_ENTRY'),
 ('PER', 'cpp otorgado', 'REGULARIZATION_GRANTED'),
 ('PER', 'solicitud de refugio', 'ASYLUM_APPLICATION'),
 ('PAN', 'transito por darien', 'TRANSIT'),
 ('PAN', 'estacion de recepcion migratoria', 'TRANSIT'),
 ('PAN', 'ingreso irregular', 'IRREGULAR_ENTRY'),
 ('MEX', 'ingreso irregular', 'IRREGULAR_ENTRY'),
 ('MEX', 'solicitud de asilo', 'ASYLUM_APPLICATION'),
 ('MEX', 'retorno asistido', 'VOLUNTARY_RETURN'),
 ('MEX', 'deportacion', 'FORCED_RETURN'),
 ('BRA', 'autorizacao de residencia', 'REGULARIZATION_GRANTED'),
 ('BRA', 'solicitacao de refugio', 'ASYLUM_APPLICATION'),
 ('BRA', 'entrada regular', 'REGULAR_ENTRY'),
 ('ECU', 'visa virte', 'REGULARIZATION_GRANTED'),
 ('ECU', 'ingreso irregular', 'IRREGULAR_ENTRY'),
 ('ECU', 'ingreso regular', 'REGULAR_ENTRY');

-- Nationality as written (code, demonym or name in Spanish, Portuguese, English, French; normalized) to ISO 3166-1 alpha-3.
CREATE TABLE nationality_aliases (
    alias text    PRIMARY KEY,
    iso3  char(3) NOT NULL
);
INSERT INTO nationality_aliases
SELECT lower(code), code FROM unnest(ARRAY[
 'ARG','BLZ','BOL','BRA','CAN','CHL','COL','CRI','CUB','DOM','ECU','GTM','GUY','HND','HTI','JAM','MEX','NIC','PAN',
 'PER','PRY','SLV','SUR','URY','USA','VEN','CHN','IND','AFG','BGD','NPL','CMR','AGO','SEN','XXA','XXX']) AS code;
INSERT INTO nationality_aliases VALUES
 ('venezuela','VEN'),('venezolana','VEN'),('venezolano','VEN'),('venezuelan','VEN'),('venezuelana','VEN'),('venezuelano','VEN'),('venezuelien','VEN'),('venezuelienne','VEN'),
 ('haiti','HTI'),('haitiana','HTI'),('haitiano','HTI'),('haitian','HTI'),('haitien','HTI'),('haitienne','HTI'),
 ('cuba','CUB'),('cubana','CUB'),('cubano','CUB'),('cuban','CUB'),
 ('ecuador','ECU'),('ecuatoriana','ECU'),('ecuatoriano','ECU'),('ecuadorian','ECU'),('equatoriana','ECU'),('equatoriano','ECU'),
 ('colombia','COL'),('colombiana','COL'),('colombiano','COL'),('colombian','COL'),('colombie','COL'),
 ('peru','PER'),('peruana','PER'),('peruano','PER'),('peruvian','PER'),
 ('chile','CHL'),('chilena','CHL'),('chileno','CHL'),('chilean','CHL'),
 ('bolivia','BOL'),('boliviana','BOL'),('boliviano','BOL'),
 ('china','CHN'),('chino','CHN'),('chinese','CHN'),('chines','CHN'),('chinesa','CHN'),
 ('india','IND'),('indio','IND'),('indian','IND'),('hindu','IND'),
 ('afganistan','AFG'),('afgana','AFG'),('afgano','AFG'),('afghan','AFG'),
 ('honduras','HND'),('hondurena','HND'),('hondureno','HND'),
 ('guatemala','GTM'),('guatemalteca','GTM'),('guatemalteco','GTM'),
 ('el salvador','SLV'),('salvadorena','SLV'),('salvadoreno','SLV'),
 ('nicaragua','NIC'),('nicaraguense','NIC'),
 ('apatrida','XXA'),('stateless','XXA'),('apatride','XXA'),
 ('desconocida','XXX'),('desconocido','XXX'),('unknown','XXX'),('sin informacion','XXX');

-- Codes no mapping covers yet: operators see them here (and in metrics) and add a mapping.
CREATE TABLE unmapped_codes (
    reporting_country char(3)     NOT NULL,
    kind              text        NOT NULL,
    code              text        NOT NULL,
    occurrences       bigint      NOT NULL,
    first_seen        timestamptz NOT NULL DEFAULT now(),
    last_seen         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reporting_country, kind, code)
);

-- The harmonized cells, one per row of an original submission.
CREATE TABLE harmonized_observations (
    submission_id     uuid        NOT NULL,
    line              integer     NOT NULL,
    reporting_country char(3)     NOT NULL,
    period            date        NOT NULL,
    border_point      text        NOT NULL,
    nationality       char(3)     NOT NULL,
    category          text        NOT NULL,
    national_category text        NOT NULL,
    sex               text,
    age_group         text,
    count             bigint,
    accepted_at       timestamptz NOT NULL,
    stored_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    trace_id          text,
    PRIMARY KEY (submission_id, line)
);
CREATE INDEX harmonized_series ON harmonized_observations (reporting_country, border_point, nationality, category, period);

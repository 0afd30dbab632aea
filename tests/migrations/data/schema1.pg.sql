--
-- PostgreSQL database dump
--

\restrict RQ1GhzF6QdWughCoPs3atfIIpeIf8XfNTtA2sz6sQ49j9UIPiMfdN3SrzzcGMJr

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: tellus_schema1; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA tellus_schema1;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: adviser; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.adviser (
    id integer NOT NULL,
    username character varying(64) NOT NULL,
    display_name character varying(100) NOT NULL,
    password_hash character varying(255) NOT NULL,
    is_admin boolean NOT NULL,
    active boolean NOT NULL,
    failed_logins integer NOT NULL,
    locked_until timestamp without time zone,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: adviser_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.adviser_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: adviser_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.adviser_id_seq OWNED BY tellus_schema1.adviser.id;


--
-- Name: audit_event; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.audit_event (
    id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    adviser_id integer,
    adviser_name character varying(64) NOT NULL,
    action character varying(32) NOT NULL,
    report_id integer,
    reference character varying(16) NOT NULL,
    detail character varying(500) NOT NULL
);


--
-- Name: audit_event_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.audit_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_event_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.audit_event_id_seq OWNED BY tellus_schema1.audit_event.id;


--
-- Name: closure; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.closure (
    id integer NOT NULL,
    start date NOT NULL,
    "end" date NOT NULL,
    note character varying(300) NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: closure_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.closure_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: closure_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.closure_id_seq OWNED BY tellus_schema1.closure.id;


--
-- Name: form_token; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.form_token (
    id integer NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamp without time zone NOT NULL,
    used_at timestamp without time zone
);


--
-- Name: form_token_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.form_token_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: form_token_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.form_token_id_seq OWNED BY tellus_schema1.form_token.id;


--
-- Name: message; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.message (
    id integer NOT NULL,
    report_id integer NOT NULL,
    author character varying(16) NOT NULL,
    adviser_id integer,
    body text NOT NULL,
    created_at timestamp without time zone NOT NULL,
    read_at timestamp without time zone
);


--
-- Name: message_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.message_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: message_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.message_id_seq OWNED BY tellus_schema1.message.id;


--
-- Name: note; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.note (
    id integer NOT NULL,
    report_id integer NOT NULL,
    adviser_id integer,
    body text NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: note_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.note_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: note_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.note_id_seq OWNED BY tellus_schema1.note.id;


--
-- Name: notification; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.notification (
    id integer NOT NULL,
    event character varying(64) NOT NULL,
    kind character varying(16) NOT NULL,
    report_id integer,
    created_at timestamp without time zone NOT NULL,
    sent_at timestamp without time zone,
    skipped boolean NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp without time zone NOT NULL,
    claim character varying(32) NOT NULL,
    claimed_until timestamp without time zone,
    last_error character varying(200) NOT NULL
);


--
-- Name: notification_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.notification_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notification_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.notification_id_seq OWNED BY tellus_schema1.notification.id;


--
-- Name: report; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.report (
    id integer NOT NULL,
    reference character varying(16) NOT NULL,
    way character varying(16) NOT NULL,
    role character varying(32) NOT NULL,
    category character varying(100) NOT NULL,
    description text NOT NULL,
    occurred character varying(200) NOT NULL,
    location character varying(200) NOT NULL,
    people text NOT NULL,
    wants_support boolean NOT NULL,
    contact_name character varying(200) NOT NULL,
    contact_email character varying(254) NOT NULL,
    contact_phone character varying(40) NOT NULL,
    two_way boolean NOT NULL,
    code_hash bytea,
    status character varying(16) NOT NULL,
    assignee_id integer,
    created_at timestamp without time zone NOT NULL,
    due_on date NOT NULL,
    first_response_at timestamp without time zone,
    closed_at timestamp without time zone,
    reporter_last_seen_at timestamp without time zone,
    adviser_read_at timestamp without time zone,
    unread_count integer NOT NULL,
    unread_since timestamp without time zone,
    last_activity_at timestamp without time zone NOT NULL,
    preview character varying(120) NOT NULL
);


--
-- Name: report_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.report_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: report_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.report_id_seq OWNED BY tellus_schema1.report.id;


--
-- Name: reporter_session; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.reporter_session (
    id integer NOT NULL,
    token_hash bytea NOT NULL,
    report_id integer NOT NULL,
    created_at timestamp without time zone NOT NULL,
    last_seen_at timestamp without time zone NOT NULL,
    expires_at timestamp without time zone NOT NULL
);


--
-- Name: reporter_session_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.reporter_session_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: reporter_session_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.reporter_session_id_seq OWNED BY tellus_schema1.reporter_session.id;


--
-- Name: tellus_setting; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.tellus_setting (
    key character varying(64) NOT NULL,
    value text NOT NULL
);


--
-- Name: throttle_event; Type: TABLE; Schema: tellus_schema1; Owner: -
--

CREATE TABLE tellus_schema1.throttle_event (
    id integer NOT NULL,
    name character varying(32) NOT NULL,
    key_hash bytea NOT NULL,
    at double precision NOT NULL,
    expires_at double precision NOT NULL
);


--
-- Name: throttle_event_id_seq; Type: SEQUENCE; Schema: tellus_schema1; Owner: -
--

CREATE SEQUENCE tellus_schema1.throttle_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: throttle_event_id_seq; Type: SEQUENCE OWNED BY; Schema: tellus_schema1; Owner: -
--

ALTER SEQUENCE tellus_schema1.throttle_event_id_seq OWNED BY tellus_schema1.throttle_event.id;


--
-- Name: adviser id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.adviser ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.adviser_id_seq'::regclass);


--
-- Name: audit_event id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.audit_event ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.audit_event_id_seq'::regclass);


--
-- Name: closure id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.closure ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.closure_id_seq'::regclass);


--
-- Name: form_token id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.form_token ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.form_token_id_seq'::regclass);


--
-- Name: message id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.message ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.message_id_seq'::regclass);


--
-- Name: note id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.note ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.note_id_seq'::regclass);


--
-- Name: notification id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.notification ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.notification_id_seq'::regclass);


--
-- Name: report id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.report ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.report_id_seq'::regclass);


--
-- Name: reporter_session id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.reporter_session ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.reporter_session_id_seq'::regclass);


--
-- Name: throttle_event id; Type: DEFAULT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.throttle_event ALTER COLUMN id SET DEFAULT nextval('tellus_schema1.throttle_event_id_seq'::regclass);


--
-- Data for Name: adviser; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.adviser VALUES (3, 'cy', 'Cy Cymraeg', '$argon2id$v=19$m=65536,t=3,p=4$puBjNKehZatc8HR1SVWS1A$TUCwbUfi4POU9ZZ9HIVZEbPWrnm+Ezmnp2C5YRjJ75c', false, false, 0, NULL, '2026-11-28 06:56:22.906212');
INSERT INTO tellus_schema1.adviser VALUES (1, 'ada', 'Ada Admin', '$argon2id$v=19$m=65536,t=3,p=4$SV24xcrWcyVn6ZgHTd6F7Q$5iSrPdvRyp2ECeGD6TwkBY+egnLzH2eGfGMJXz0hP8w', true, true, 0, NULL, '2026-11-28 06:56:22.701987');
INSERT INTO tellus_schema1.adviser VALUES (2, 'ben', 'Ben Adviser', '$argon2id$v=19$m=65536,t=3,p=4$rNF5FRpb8LGpVeJVzeIB5Q$3zxqD+m9fwt4iup3UxJJdaVaWPT5WVly8e7sWW6h99A', false, true, 1, NULL, '2026-11-28 06:56:22.803898');


--
-- Data for Name: audit_event; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.audit_event VALUES (1, '2026-11-28 06:56:22.703236', NULL, 'cli', 'adviser_created', NULL, '', 'ada (admin)');
INSERT INTO tellus_schema1.audit_event VALUES (2, '2026-11-28 06:56:22.804813', NULL, 'cli', 'adviser_created', NULL, '', 'ben');
INSERT INTO tellus_schema1.audit_event VALUES (3, '2026-11-28 06:56:22.907303', NULL, 'cli', 'adviser_created', NULL, '', 'cy');
INSERT INTO tellus_schema1.audit_event VALUES (4, '2026-11-28 06:56:22.911861', NULL, 'cli', 'adviser_disabled', NULL, '', 'cy');
INSERT INTO tellus_schema1.audit_event VALUES (5, '2026-11-28 06:56:23.017799', 1, 'ada', 'login', NULL, '', '');
INSERT INTO tellus_schema1.audit_event VALUES (6, '2026-11-28 06:56:23.154103', 2, 'ben', 'login_failed', NULL, '', '');
INSERT INTO tellus_schema1.audit_event VALUES (7, '2026-11-28 06:56:23.156936', NULL, 'cli', 'closure_added', NULL, '', '2026-12-21 to 2027-01-01');
INSERT INTO tellus_schema1.audit_event VALUES (8, '2026-11-28 06:56:23.187665', 1, 'ada', 'reply', 1, 'TL-X8J9D1', '');
INSERT INTO tellus_schema1.audit_event VALUES (9, '2026-11-28 06:56:23.192836', 1, 'ada', 'note', 1, 'TL-X8J9D1', '');
INSERT INTO tellus_schema1.audit_event VALUES (10, '2026-11-28 06:56:23.195804', 1, 'ada', 'case_viewed', 1, 'TL-X8J9D1', '');
INSERT INTO tellus_schema1.audit_event VALUES (11, '2026-11-28 06:56:23.227993', 1, 'ada', 'reply', 2, 'TL-1971WW', '');
INSERT INTO tellus_schema1.audit_event VALUES (12, '2026-11-28 06:56:23.233087', 1, 'ada', 'note', 2, 'TL-1971WW', '');
INSERT INTO tellus_schema1.audit_event VALUES (13, '2026-11-28 06:56:23.235954', 1, 'ada', 'assign', 2, 'TL-1971WW', 'nobody → ben');
INSERT INTO tellus_schema1.audit_event VALUES (14, '2026-11-28 06:56:23.286288', 1, 'ada', 'reply', 4, 'TL-GWJ8JK', '');
INSERT INTO tellus_schema1.audit_event VALUES (15, '2026-11-28 06:56:23.294689', 1, 'ada', 'note', 4, 'TL-GWJ8JK', '');
INSERT INTO tellus_schema1.audit_event VALUES (16, '2026-11-28 06:56:23.296337', 1, 'ada', 'status', 4, 'TL-GWJ8JK', 'open → closed');


--
-- Data for Name: closure; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.closure VALUES (1, '2026-12-21', '2027-01-01', 'Winter break', '2026-11-28 06:56:23.156188');


--
-- Data for Name: form_token; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--



--
-- Data for Name: message; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.message VALUES (1, 1, 'adviser', 1, 'Thank you for telling us (0). Can you say more?', '2026-09-14 12:30:12.345678', NULL);
INSERT INTO tellus_schema1.message VALUES (2, 1, 'reporter', NULL, 'Yes — it happened again on Friday (0). Диолч.', '2026-09-14 14:30:43.345678', '2026-09-14 11:30:12.345678');
INSERT INTO tellus_schema1.message VALUES (3, 2, 'adviser', 1, 'Thank you for telling us (1). Can you say more?', '2026-09-15 12:30:19.345678', NULL);
INSERT INTO tellus_schema1.message VALUES (4, 2, 'reporter', NULL, 'Yes — it happened again on Friday (1). Диолч.', '2026-09-15 14:30:50.345678', NULL);
INSERT INTO tellus_schema1.message VALUES (5, 4, 'adviser', 1, 'Thank you for telling us (3). Can you say more?', '2026-09-17 12:30:33.345678', NULL);
INSERT INTO tellus_schema1.message VALUES (6, 4, 'reporter', NULL, 'Yes — it happened again on Friday (3). Диолч.', '2026-09-17 14:31:04.345678', NULL);


--
-- Data for Name: note; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.note VALUES (1, 1, 1, 'Security told (0).', '2026-09-14 15:30:12.345678');
INSERT INTO tellus_schema1.note VALUES (2, 2, 1, 'Security told (1).', '2026-09-15 15:30:19.345678');
INSERT INTO tellus_schema1.note VALUES (3, 4, 1, 'Security told (3).', '2026-09-17 15:30:33.345678');


--
-- Data for Name: notification; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.notification VALUES (1, 'new:1', 'new', 1, '2026-09-14 09:30:12.345678', NULL, false, 0, '2026-09-14 09:30:12.345678', '', NULL, '');


--
-- Data for Name: report; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.report VALUES (1, 'TL-X8J9D1', 'anonymous', 'student', 'Harassment', 'Someone keeps following me after the evening seminar. 😟', '', 'Library, second floor', 'A man in a grey coat
and his friend', true, '', '', '', true, '\xe9a7ec78168524a2e4b5f235ea4dcd480c36d0edfe514a8487123fae436ec389', 'open', NULL, '2026-09-14 09:30:12.345678', '2026-09-21', '2026-09-14 12:30:12.345678', NULL, '2026-09-14 14:30:43.345678', '2026-09-14 12:30:12.345678', 0, NULL, '2026-09-14 14:30:43.345678', 'Yes — it happened again on Friday (0). Диолч.');
INSERT INTO tellus_schema1.report VALUES (2, 'TL-1971WW', 'named', 'staff', 'Bullying', 'Mae fy nghyd-letywyr yn postio jôcs amdana i yn y grŵp sgwrsio.', 'Tuesday evening', 'Neuadd Gymraeg', '', false, 'Sam Lee 1', 'sam1@example.ac.uk', '+44 7700 900123', true, '\xcc39d5da4989c7102fbedfbe3bdb7c02e4ef7b7f5908e1e0389a0fcaf3f56748', 'open', 2, '2026-09-15 09:30:19.345678', '2026-09-22', '2026-09-15 12:30:19.345678', NULL, '2026-09-15 14:30:50.345678', '2026-09-15 12:30:19.345678', 1, '2026-09-15 14:30:50.345678', '2026-09-15 14:30:50.345678', 'Yes — it happened again on Friday (1). Диолч.');
INSERT INTO tellus_schema1.report VALUES (3, 'TL-VH69CP', 'anonymous', 'visitor', 'Wellbeing concern', 'Znajomy powiedział wczoraj coś niepokojącego. Zażółć gęślą jaźń.', '', '', '', true, '', '', '', true, '\xeaaf371fdd229826d73cd724177f8ae0dc71e3d37a86f24942b2e08c4928e7e2', 'new', NULL, '2026-09-16 09:30:26.345678', '2026-09-23', NULL, NULL, NULL, NULL, 1, '2026-09-16 09:30:26.345678', '2026-09-16 09:30:26.345678', 'Znajomy powiedział wczoraj coś niepokojącego. Zażółć gęślą jaźń.');
INSERT INTO tellus_schema1.report VALUES (4, 'TL-GWJ8JK', 'anonymous', 'other', 'Hate incident or discrimination', 'كتب أحدهم شيئاً مسيئاً على باب غرفتي', 'Tuesday evening', 'Halls, block C', '', false, '', '', '', true, '\x65ee024241a2000e33a9debd61ac6a3dc0b2f096c3f5ecb04145ce66051f0643', 'closed', NULL, '2026-09-17 09:30:33.345678', '2026-09-24', '2026-09-17 12:30:33.345678', '2026-11-28 06:56:23.29533', '2026-09-17 14:31:04.345678', '2026-09-17 12:30:33.345678', 1, '2026-09-17 14:31:04.345678', '2026-09-17 14:31:04.345678', 'Yes — it happened again on Friday (3). Диолч.');
INSERT INTO tellus_schema1.report VALUES (5, 'TL-W9FEQQ', 'named', 'prefer_not_to_say', 'Assault', 'I saw a man push someone near the bike sheds.

It was about 10pm.', '', 'Bike sheds', '', true, 'Sam Lee 4', 'sam4@example.ac.uk', '+44 7700 900123', false, NULL, 'new', NULL, '2026-09-18 09:30:40.345678', '2026-09-25', NULL, NULL, NULL, NULL, 1, '2026-09-18 09:30:40.345678', '2026-09-18 09:30:40.345678', 'I saw a man push someone near the bike sheds. It was about 10pm.');
INSERT INTO tellus_schema1.report VALUES (6, 'TL-YYZRA9', 'anonymous', 'student', 'Something else / not sure', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'Tuesday evening', 'https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '', false, '', '', '', true, '\x7f2c25ea115daf55f4fcd3a9f46108f9fb91a1b931f8f69ce295242cea25f78c', 'new', NULL, '2026-09-19 09:30:47.345678', '2026-09-25', NULL, NULL, NULL, NULL, 1, '2026-09-19 09:30:47.345678', '2026-09-19 09:30:47.345678', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…');


--
-- Data for Name: reporter_session; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.reporter_session VALUES (1, '\x3c39803ff26212ace20471fc2428ebcf95e770e91625623da999bb8ae46af9bd', 1, '2026-11-28 06:56:23.200703', '2026-11-28 06:56:23.200703', '2026-11-28 08:56:23.200703');


--
-- Data for Name: tellus_setting; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.tellus_setting VALUES ('schema_version', '1');
INSERT INTO tellus_schema1.tellus_setting VALUES ('install_salt', '2a97551889ee7aa8d1f0d59934628a7f');
INSERT INTO tellus_schema1.tellus_setting VALUES ('code_hash_params', '{"hash_len": 32, "memory_cost": 19456, "parallelism": 1, "time_cost": 2, "type": "argon2id", "version": 19}');
INSERT INTO tellus_schema1.tellus_setting VALUES ('throttle_key', '2026-11-28:988166ec6ac22d2f37a0c0cc1e504289825bc9fbe259c5892f69f91f5644a794');


--
-- Data for Name: throttle_event; Type: TABLE DATA; Schema: tellus_schema1; Owner: -
--

INSERT INTO tellus_schema1.throttle_event VALUES (1, 'report', '\x05826352533bcdb8a2ef2cb796208443', 1795848983.3252304, 1795852583.3252304);
INSERT INTO tellus_schema1.throttle_event VALUES (2, 'code', '\x884e133fa7c838a2736b49567c1d35e3', 1795848983.3297644, 1795849883.3297644);


--
-- Name: adviser_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.adviser_id_seq', 3, true);


--
-- Name: audit_event_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.audit_event_id_seq', 16, true);


--
-- Name: closure_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.closure_id_seq', 1, true);


--
-- Name: form_token_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.form_token_id_seq', 1, false);


--
-- Name: message_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.message_id_seq', 6, true);


--
-- Name: note_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.note_id_seq', 3, true);


--
-- Name: notification_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.notification_id_seq', 1, true);


--
-- Name: report_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.report_id_seq', 6, true);


--
-- Name: reporter_session_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.reporter_session_id_seq', 1, true);


--
-- Name: throttle_event_id_seq; Type: SEQUENCE SET; Schema: tellus_schema1; Owner: -
--

SELECT pg_catalog.setval('tellus_schema1.throttle_event_id_seq', 2, true);


--
-- Name: adviser adviser_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.adviser
    ADD CONSTRAINT adviser_pkey PRIMARY KEY (id);


--
-- Name: audit_event audit_event_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.audit_event
    ADD CONSTRAINT audit_event_pkey PRIMARY KEY (id);


--
-- Name: closure closure_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.closure
    ADD CONSTRAINT closure_pkey PRIMARY KEY (id);


--
-- Name: form_token form_token_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.form_token
    ADD CONSTRAINT form_token_pkey PRIMARY KEY (id);


--
-- Name: message message_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.message
    ADD CONSTRAINT message_pkey PRIMARY KEY (id);


--
-- Name: note note_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.note
    ADD CONSTRAINT note_pkey PRIMARY KEY (id);


--
-- Name: notification notification_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.notification
    ADD CONSTRAINT notification_pkey PRIMARY KEY (id);


--
-- Name: report report_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.report
    ADD CONSTRAINT report_pkey PRIMARY KEY (id);


--
-- Name: reporter_session reporter_session_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.reporter_session
    ADD CONSTRAINT reporter_session_pkey PRIMARY KEY (id);


--
-- Name: tellus_setting tellus_setting_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.tellus_setting
    ADD CONSTRAINT tellus_setting_pkey PRIMARY KEY (key);


--
-- Name: throttle_event throttle_event_pkey; Type: CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.throttle_event
    ADD CONSTRAINT throttle_event_pkey PRIMARY KEY (id);


--
-- Name: adviser_username; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE UNIQUE INDEX adviser_username ON tellus_schema1.adviser USING btree (username);


--
-- Name: audit_event_action; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX audit_event_action ON tellus_schema1.audit_event USING btree (action);


--
-- Name: audit_event_adviser_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX audit_event_adviser_id ON tellus_schema1.audit_event USING btree (adviser_id);


--
-- Name: audit_event_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX audit_event_at ON tellus_schema1.audit_event USING btree (at);


--
-- Name: audit_event_report_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX audit_event_report_id ON tellus_schema1.audit_event USING btree (report_id);


--
-- Name: form_token_created_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX form_token_created_at ON tellus_schema1.form_token USING btree (created_at);


--
-- Name: form_token_token_hash; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE UNIQUE INDEX form_token_token_hash ON tellus_schema1.form_token USING btree (token_hash);


--
-- Name: message_adviser_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX message_adviser_id ON tellus_schema1.message USING btree (adviser_id);


--
-- Name: message_report_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX message_report_id ON tellus_schema1.message USING btree (report_id);


--
-- Name: message_report_id_created_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX message_report_id_created_at ON tellus_schema1.message USING btree (report_id, created_at);


--
-- Name: note_adviser_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX note_adviser_id ON tellus_schema1.note USING btree (adviser_id);


--
-- Name: note_report_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX note_report_id ON tellus_schema1.note USING btree (report_id);


--
-- Name: note_report_id_created_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX note_report_id_created_at ON tellus_schema1.note USING btree (report_id, created_at);


--
-- Name: notification_event; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE UNIQUE INDEX notification_event ON tellus_schema1.notification USING btree (event);


--
-- Name: notification_report_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX notification_report_id ON tellus_schema1.notification USING btree (report_id);


--
-- Name: notification_sent_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX notification_sent_at ON tellus_schema1.notification USING btree (sent_at);


--
-- Name: report_assignee_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX report_assignee_id ON tellus_schema1.report USING btree (assignee_id);


--
-- Name: report_category; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX report_category ON tellus_schema1.report USING btree (category);


--
-- Name: report_code_hash; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE UNIQUE INDEX report_code_hash ON tellus_schema1.report USING btree (code_hash);


--
-- Name: report_first_response_at_due_on; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX report_first_response_at_due_on ON tellus_schema1.report USING btree (first_response_at, due_on);


--
-- Name: report_last_activity_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX report_last_activity_at ON tellus_schema1.report USING btree (last_activity_at);


--
-- Name: report_reference; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE UNIQUE INDEX report_reference ON tellus_schema1.report USING btree (reference);


--
-- Name: report_status; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX report_status ON tellus_schema1.report USING btree (status);


--
-- Name: report_unread_since_last_activity_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX report_unread_since_last_activity_at ON tellus_schema1.report USING btree (unread_since, last_activity_at);


--
-- Name: reporter_session_expires_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX reporter_session_expires_at ON tellus_schema1.reporter_session USING btree (expires_at);


--
-- Name: reporter_session_report_id; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX reporter_session_report_id ON tellus_schema1.reporter_session USING btree (report_id);


--
-- Name: reporter_session_token_hash; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE UNIQUE INDEX reporter_session_token_hash ON tellus_schema1.reporter_session USING btree (token_hash);


--
-- Name: throttle_event_expires_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX throttle_event_expires_at ON tellus_schema1.throttle_event USING btree (expires_at);


--
-- Name: throttle_event_name_key_hash_at; Type: INDEX; Schema: tellus_schema1; Owner: -
--

CREATE INDEX throttle_event_name_key_hash_at ON tellus_schema1.throttle_event USING btree (name, key_hash, at);


--
-- Name: message message_adviser_id_fkey; Type: FK CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.message
    ADD CONSTRAINT message_adviser_id_fkey FOREIGN KEY (adviser_id) REFERENCES tellus_schema1.adviser(id) ON DELETE SET NULL;


--
-- Name: message message_report_id_fkey; Type: FK CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.message
    ADD CONSTRAINT message_report_id_fkey FOREIGN KEY (report_id) REFERENCES tellus_schema1.report(id) ON DELETE CASCADE;


--
-- Name: note note_adviser_id_fkey; Type: FK CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.note
    ADD CONSTRAINT note_adviser_id_fkey FOREIGN KEY (adviser_id) REFERENCES tellus_schema1.adviser(id) ON DELETE SET NULL;


--
-- Name: note note_report_id_fkey; Type: FK CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.note
    ADD CONSTRAINT note_report_id_fkey FOREIGN KEY (report_id) REFERENCES tellus_schema1.report(id) ON DELETE CASCADE;


--
-- Name: report report_assignee_id_fkey; Type: FK CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.report
    ADD CONSTRAINT report_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES tellus_schema1.adviser(id) ON DELETE SET NULL;


--
-- Name: reporter_session reporter_session_report_id_fkey; Type: FK CONSTRAINT; Schema: tellus_schema1; Owner: -
--

ALTER TABLE ONLY tellus_schema1.reporter_session
    ADD CONSTRAINT reporter_session_report_id_fkey FOREIGN KEY (report_id) REFERENCES tellus_schema1.report(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict RQ1GhzF6QdWughCoPs3atfIIpeIf8XfNTtA2sz6sQ49j9UIPiMfdN3SrzzcGMJr


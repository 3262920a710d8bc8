//! The diesel schema; kept by hand in step with `migrations/` (a test compares the two).

diesel::table! {
    counties (code) {
        code -> Text,
        name -> Text,
        name_short -> Text,
    }
}

diesel::table! {
    municipalities (code) {
        code -> Text,
        name -> Text,
        name_short -> Text,
        county_code -> Text,
    }
}

diesel::table! {
    forbund (forbund_key) {
        forbund_key -> Text,
        name -> Text,
    }
}

diesel::table! {
    memberships (forbund_key, municipality_code, valid_from) {
        forbund_key -> Text,
        municipality_code -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        share -> Numeric,
    }
}

diesel::table! {
    reference_statistics (year, municipality_code) {
        year -> Int4,
        municipality_code -> Text,
        inhabitants_16_64 -> Int8,
        forsorjningsmatt_tkr -> Numeric,
        source -> Text,
        age_band -> Text,
        extract_date -> Date,
        imported_at -> Timestamptz,
    }
}

diesel::table! {
    insats_kinds (code) {
        code -> Text,
        name_sv -> Text,
    }
}

diesel::table! {
    orientations (code) {
        code -> Text,
        kind -> Text,
        name_sv -> Text,
    }
}

diesel::table! {
    target_groups (code) {
        code -> Text,
        name_sv -> Text,
    }
}

diesel::table! {
    insatser (id) {
        id -> Int8,
        forbund_key -> Text,
        external_ref -> Nullable<Text>,
        name -> Text,
        description -> Nullable<Text>,
        kind -> Text,
        orientation -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    insats_target_groups (insats_id, target_group) {
        insats_id -> Int8,
        kind -> Text,
        target_group -> Text,
    }
}

diesel::table! {
    insats_years (insats_id, year) {
        insats_id -> Int8,
        kind -> Text,
        year -> Int4,
        participants_women -> Nullable<Int4>,
        participants_men -> Nullable<Int4>,
        budget -> Numeric,
        outcome -> Nullable<Numeric>,
        exits_work_women -> Nullable<Int4>,
        exits_work_men -> Nullable<Int4>,
        exits_studies_women -> Nullable<Int4>,
        exits_studies_men -> Nullable<Int4>,
        exits_job_seeking_women -> Nullable<Int4>,
        exits_job_seeking_men -> Nullable<Int4>,
        exits_other_women -> Nullable<Int4>,
        exits_other_men -> Nullable<Int4>,
        version -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    forbund_finances (forbund_key, year) {
        forbund_key -> Text,
        year -> Int4,
        contributions_state -> Numeric,
        contributions_regions -> Numeric,
        contributions_municipalities -> Numeric,
        administration_budget -> Numeric,
        administration_outcome -> Nullable<Numeric>,
        equity_opening -> Numeric,
        equity_closing -> Nullable<Numeric>,
        result -> Nullable<Numeric>,
        version -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    reporting_years (year) {
        year -> Int4,
        deadline -> Date,
        closed_at -> Nullable<Timestamptz>,
        closed_by -> Nullable<Text>,
    }
}

diesel::table! {
    forbund_years (forbund_key, year) {
        forbund_key -> Text,
        year -> Int4,
        status -> Text,
        submitted_at -> Nullable<Timestamptz>,
        submitted_by -> Nullable<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor -> Text,
        actor_role -> Text,
        forbund_key -> Nullable<Text>,
        entity -> Text,
        entity_id -> Text,
        action -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        reason -> Nullable<Text>,
        request_id -> Nullable<Text>,
        // xact_id (xid8) has no diesel type: its default fills it, and only the SQL of
        // crate::freshness reads it.
    }
}

diesel::table! {
    import_requests (id) {
        id -> Int8,
        forbund_key -> Text,
        idempotency_key -> Nullable<Text>,
        fingerprint -> Text,
        content_type -> Text,
        mode -> Text,
        state -> Text,
        rows_total -> Int4,
        body -> Nullable<Bytea>,
        summary -> Nullable<Jsonb>,
        error -> Nullable<Text>,
        created_by -> Text,
        created_role -> Text,
        request_id -> Nullable<Text>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    import_progress (import_id) {
        import_id -> Int8,
        rows_done -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    open_releases (id) {
        id -> Int8,
        year -> Int4,
        release -> Int4,
        published_at -> Timestamptz,
        published_by -> Text,
        data_version -> Int8,
        data_as_of -> Nullable<Timestamptz>,
        threshold -> Int8,
        note -> Text,
    }
}

diesel::table! {
    open_release_tables (release_id, table_id, position) {
        release_id -> Int8,
        table_id -> Text,
        position -> Int4,
        level -> Text,
        code -> Nullable<Text>,
        published -> Jsonb,
        exact -> Jsonb,
    }
}

diesel::table! {
    sign_in_attempts (state_hash) {
        state_hash -> Bytea,
        nonce -> Text,
        pkce_verifier -> Text,
        return_to -> Text,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Bytea,
        sub -> Text,
        role -> Text,
        forbund_key -> Nullable<Text>,
        csrf_token -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::joinable!(municipalities -> counties (county_code));
diesel::joinable!(open_release_tables -> open_releases (release_id));
diesel::joinable!(memberships -> forbund (forbund_key));
diesel::joinable!(allocation_results -> allocation_decisions (year));
diesel::joinable!(memberships -> municipalities (municipality_code));
diesel::joinable!(insatser -> forbund (forbund_key));
diesel::joinable!(forbund_finances -> forbund (forbund_key));
diesel::joinable!(forbund_years -> forbund (forbund_key));

diesel::table! {
    allocation_decisions (year) {
        year -> Int4,
        parameters -> Jsonb,
        version -> Int4,
        decided_at -> Timestamptz,
    }
}

diesel::table! {
    allocation_results (year, forbund_key) {
        year -> Int4,
        forbund_key -> Text,
        total -> Numeric,
        base -> Nullable<Numeric>,
        by_forsorjningsmatt -> Nullable<Numeric>,
        by_population -> Nullable<Numeric>,
        damping_adjustment -> Nullable<Numeric>,
        previous_allocation -> Nullable<Numeric>,
        explanation -> Nullable<Jsonb>,
    }
}

diesel::table! {
    money_settings (year) {
        year -> Int4,
        equity_recommendation -> Nullable<Jsonb>,
        administration_share_limit_percent -> Nullable<Numeric>,
        national_support_spent -> Nullable<Numeric>,
        version -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    annual_reports (forbund_key, year) {
        forbund_key -> Text,
        year -> Int4,
        adopted_on -> Nullable<Date>,
        received_on -> Nullable<Date>,
        version -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    annual_report_members (forbund_key, year, position) {
        forbund_key -> Text,
        year -> Int4,
        position -> Int4,
        member -> Text,
        auditors_report_received_on -> Nullable<Date>,
        discharge -> Text,
        discharge_decided_on -> Nullable<Date>,
        diary_number -> Nullable<Text>,
    }
}

diesel::table! {
    annual_report_remarks (forbund_key, year, position) {
        forbund_key -> Text,
        year -> Int4,
        position -> Int4,
        category -> Text,
        text -> Nullable<Text>,
    }
}

diesel::table! {
    report_commentary (year, section) {
        year -> Int4,
        section -> Text,
        text -> Text,
        updated_at -> Timestamptz,
        updated_by -> Text,
    }
}

diesel::joinable!(annual_reports -> forbund (forbund_key));

diesel::allow_tables_to_appear_in_same_query!(
    counties,
    municipalities,
    forbund,
    memberships,
    insats_kinds,
    orientations,
    target_groups,
    insatser,
    insats_target_groups,
    insats_years,
    forbund_finances,
    reporting_years,
    forbund_years,
    audit_events,
    import_requests,
    import_progress,
    open_releases,
    open_release_tables,
    sign_in_attempts,
    sessions,
    reference_statistics,
    allocation_decisions,
    allocation_results,
    money_settings,
    annual_reports,
    annual_report_members,
    annual_report_remarks,
    report_commentary,
);

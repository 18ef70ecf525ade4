// Generated from docs/openapi.json by `npm run gen:api-client`. Do not edit.

export interface paths {
    "/admin/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Build info and reachability of the tables */
        get: operations["getAdminHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Uploads, newest first, with state and counts (limit, cursor) */
        get: operations["getAdminUploads"];
        put?: never;
        /** An upload slot: the upload record and a presigned POST for one CSV (text/csv, size-limited, 15 min) */
        post: operations["postAdminUploads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/uploads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One upload: state, counts, progress, and a short-lived link to its per-row result file */
        get: operations["getAdminUploadsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/uploads/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a queued upload: distribution skips it until it is resumed (idempotent) */
        post: operations["postAdminUploadsIdPause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/uploads/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused upload: it is queued again in its original place, oldest first (idempotent) */
        post: operations["postAdminUploadsIdResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/uploads/{id}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw a queued or paused upload: its undelivered leads leave the supply, delivered ones stay (releaseHashes) */
        post: operations["postAdminUploadsIdWithdraw"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/uploads/{id}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Release an upload stuck in verification: leads without an answer are rejected as unverified, the rest queued */
        post: operations["postAdminUploadsIdRelease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/returns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Members' returns of delivered leads by state, oldest first: the queue to decide (state, limit, cursor) */
        get: operations["getAdminReturns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/members/{id}/returns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One member's returns, newest first, with their state and the admins' notes */
        get: operations["getAdminMembersIdReturns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/returns/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a pending return: the lead leaves circulation and the member is owed one replacement on the next run */
        post: operations["postAdminReturnsIdApprove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/returns/{id}/refuse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refuse a pending return, with a note that says why */
        post: operations["postAdminReturnsIdRefuse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Members, a page at a time, filtered by eligibility and tier */
        get: operations["getAdminMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/members/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One member: profile, tier, subscription, quota, eligibility and this week's deliveries */
        get: operations["getAdminMembersId"];
        /** Create or change one member */
        put: operations["putAdminMembersId"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/members/{id}/leads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The leads delivered to one member, newest first (limit, cursor) */
        get: operations["getAdminMembersIdLeads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/members/{id}/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One member's ledger, newest week first: owed (accrued + carried over), received by run, short and why (weeks) */
        get: operations["getAdminMembersIdLedger"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/members/{id}/address-mark": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Clear the mark SES feedback (a hard bounce or a complaint) put on a member's address: the next run mails them again */
        delete: operations["deleteAdminMembersIdAddressMark"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/members/{id}/automailer-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A member's AutoMailer link: since when, and AutoMailer's reads of their leads (last, count) */
        get: operations["getAdminMembersIdAutomailerLink"];
        put?: never;
        post?: never;
        /** Revoke a member's AutoMailer link: AutoMailer's next read of them is refused (idempotent) */
        delete: operations["deleteAdminMembersIdAutomailerLink"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/suppressions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The suppression list, a page at a time (addresses appear as their id only) */
        get: operations["getAdminSuppressions"];
        put?: never;
        /** Suppress an address (kept only as its keyed hash) or a whole domain: never accepted at ingest, never distributed */
        post: operations["postAdminSuppressions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/suppressions/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suppress many addresses and domains; every refused row is reported with its row number and reason */
        post: operations["postAdminSuppressionsImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/suppressions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Take an entry off the suppression list */
        delete: operations["deleteAdminSuppressionsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/erasures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Erasures, newest first: who, when and what was touched */
        get: operations["getAdminErasures"];
        put?: never;
        /** Erase a person by email (privacy request): their lead's personal data, the members' delivery records of it and their rows in result files and raw uploads; only the keyed hash stays, on the suppression list */
        post: operations["postAdminErasures"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/members/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create or change many members (JSON or CSV), idempotent */
        post: operations["postAdminMembersImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Distribution schedules, a page at a time */
        get: operations["getAdminSchedules"];
        put?: never;
        /** Create a distribution schedule */
        post: operations["postAdminSchedules"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One schedule and its next runs */
        get: operations["getAdminSchedulesId"];
        /** Replace a schedule */
        put: operations["putAdminSchedulesId"];
        post?: never;
        /** Delete a schedule */
        delete: operations["deleteAdminSchedulesId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/distributions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent runs and the heartbeat */
        get: operations["getAdminDistributions"];
        put?: never;
        /** Run a distribution now, or plan one (dryRun) without writing */
        post: operations["postAdminDistributions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/distributions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run: trigger, schedule, times, counts, uploads touched and exhausted, error */
        get: operations["getAdminDistributionsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pending and available leads, queued uploads, eligible members, weekly demand, weeks of supply, runs */
        get: operations["getAdminOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/scheduler/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Scheduler verdict (healthy/degraded/failing) with reasons, heartbeat, runs, failures, DLQ depths */
        get: operations["getAdminSchedulerHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sso/automailer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start the AutoMailer hand-off: the URL to send the browser to, with a one-time code */
        post: operations["postSsoAutomailer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/me/leads.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in member's newest leads as CSV (at most 500; since, limit) */
        get: operations["getMembersMeLeadsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/me/returns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in member's returns, newest first, with their state and the admin's note */
        get: operations["getMembersMeReturns"];
        put?: never;
        /** Return a delivered lead (by its email) with a reason: within returns.windowDays of delivery, up to returns.maxPercentPerWeek of the week */
        post: operations["postMembersMeReturns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/me/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in member's ledger: what they were owed each week, what they received, and why short */
        get: operations["getMembersMeLedger"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/me/automailer-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in member's AutoMailer link (made by a hand-off) and AutoMailer's reads under it */
        get: operations["getMembersMeAutomailerLink"];
        put?: never;
        post?: never;
        /** Revoke the AutoMailer link: AutoMailer can no longer read your leads (idempotent) */
        delete: operations["deleteMembersMeAutomailerLink"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/automailer/sso/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** AutoMailer redeems a one-time hand-off code for a five-minute signed identity token */
        post: operations["postAutomailerSsoToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/automailer/members/{memberId}/leads.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A linked member's newest leads as CSV for AutoMailer (at most 500; since, limit); 403 not_linked otherwise */
        get: operations["getAutomailerMembersMemberIdLeadsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys that verify the AutoMailer identity tokens */
        get: operations["getWellKnownJwksJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as an OpenAPI 3 document */
        get: operations["getOpenapiJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        DeliveredLead: {
            assignedAt: string;
            runId: string;
            uploadId: string;
            /** @description the lead's row in its upload's file */
            row: number;
            email: string;
            firstName?: string;
            lastName?: string;
            fullName?: string;
            phone?: string;
            company?: string;
            title?: string;
            website?: string;
            city?: string;
            state?: string;
            country?: string;
        };
        Erasure: {
            erasureId: string;
            requestedBy: string;
            requestedAt: string;
            touched: {
                leads: number;
                /** @description members' delivery records deleted */
                assignments: number;
                /** @description result files, result parts and raw uploads rewritten */
                files: number;
                /** @description raw uploads still being ingested, left to expire */
                filesSkipped: number;
            };
        };
        Error: {
            /** @example BadRequest */
            error: string;
            /** @example Invalid query string: limit: must be a whole number from 1 to 100 */
            message: string;
            /** @description what exactly is wrong, when there is more to say than the message */
            details?: components["schemas"]["FieldIssues"] | components["schemas"]["ScheduleErrors"] | components["schemas"]["HandoffRefusal"];
        };
        FieldIssues: {
            path: string;
            message: string;
        }[];
        HandoffRefusal: {
            /** @enum {string} */
            error: "invalid_grant";
            /** @enum {string} */
            reason: "unknown_code" | "already_used" | "expired" | "client_mismatch" | "redirect_mismatch" | "member_mismatch";
        };
        Heartbeat: {
            lastRunId: string;
            /** @enum {string} */
            lastRunState: "running" | "succeeded" | "failed" | "skipped";
            /** @enum {string} */
            lastRunTrigger: "schedule" | "manual";
            /**
             * Format: date-time
             * @description when that run ended
             */
            lastRunAt: string;
            /**
             * Format: date-time
             * @description when a run last succeeded
             */
            lastSuccessAt?: string;
            /** @description a succeeded run: leads it assigned */
            leadsAssigned?: number;
            /** @description a succeeded run: members it served */
            membersServed?: number;
            /** @description a skipped run: why */
            skippedReason?: string;
            /** @description a failed run: its error */
            error?: string;
        };
        LeadReturn: {
            returnId: string;
            memberId: string;
            uploadId: string;
            row: number;
            /** @description when the lead was delivered */
            assignedAt: string;
            /** @description the week whose deliveries the return counts against */
            weekKey: string;
            /** @enum {string} */
            reason: "bounced" | "wrong_person" | "duplicate_of_mine" | "other";
            text?: string;
            /** @enum {string} */
            state: "pending" | "approved" | "refused";
            createdAt: string;
            decidedAt?: string;
            decidedBy?: string;
            note?: string;
        };
        MemberDetail: {
            member: {
                id: string;
                email: string;
                name: string;
                tier: string;
                subscriptionStatus: string;
                subscriptionEndsAt: string | null;
                subscriptionStartedAt: string | null;
                weeklyQuotaOverride: number | null;
                weeklyQuota: number;
                eligible: boolean;
                version: number;
                updatedAt: string;
                /** @description SES reported the current address as permanently bouncing or complaining: the member is not emailed until an admin clears the mark (DELETE /admin/members/{id}/address-mark) or the address changes */
                addressMark: {
                    /** @enum {string} */
                    reason: "hard-bounce" | "complaint";
                    at: string;
                } | null;
                /** @description transient bounces SES reported for the current address (counted, not suppressing) */
                softBounces: number;
            };
            /** @description this week's deliveries against the member's quota */
            thisWeek: {
                /** @description the ISO week, in distribution.timeZone */
                weekKey: string;
                timeZone: string;
                /** @description leads delivered this week */
                received: number;
                weeklyQuota: number;
                /** @description what the next run may still deliver this week */
                owed: number;
                lastServedAt: string | null;
            };
        };
        /** @description Entitlement accrues from the weekly quota (the tier's or the override) while the member is eligible, pro rata for part weeks, and a run takes it to the end of its week: a weekly run delivers a week's quota, a monthly run the four or five weeks since the last run, a second run in a week only tops up. What a week could not deliver is carried into the next, at most distribution.carryOverWeeks quotas of it. A short supply is shared by distribution.shortfallPolicy: proportional (default) gives everyone the same fraction of what they are owed, rounded by largest remainder. Worked example: one member of each tier (quotas 10/25/50/100) and 100 leads: exact shares 5.41/13.51/27.03/54.05, floored 5/13/27/54 and the one lead left to the largest remainder, so 5/14/27/54; the starter member carries 5 into the next week and is owed 10 + 5 = 15 there. */
        MemberLedger: {
            memberId: string;
            /** @description the zone the weeks are counted in (distribution.timeZone) */
            timeZone: string;
            /**
             * @description why the member is owed nothing now; null while eligible
             * @enum {string|null}
             */
            notOwed: "paused" | "lapsed" | "quota_0" | null;
            weeks: {
                /** @description ISO week, e.g. 2026-W41 */
                weekKey: string;
                /** @description the weekly quota the entitlement was computed with */
                quota: number;
                accruedFrom: string;
                /** @description the end of the week: entitlement is taken to it */
                accruedThrough: string;
                /** @description entitlement accrued since the previous entry (pro rata for part weeks) */
                accrued: number;
                /** @description the previous entry's unmet entitlement, at most carryOverWeeks quotas */
                carriedIn: number;
                /** @description accrued + carriedIn */
                owed: number;
                received: number;
                runs: {
                    runId: string;
                    received: number;
                }[];
                /** @description owed - received, never negative */
                short: number;
                /** @enum {string|null} */
                shortReason: "supply_short" | "paused" | "lapsed" | "quota_0" | null;
            }[];
            totals: {
                accrued: number;
                received: number;
            };
        };
        Run: {
            runId: string;
            /** @enum {string} */
            trigger: "schedule" | "manual";
            /** @enum {string} */
            state: "running" | "succeeded" | "failed" | "skipped";
            scheduleId?: string;
            requestedBy?: string;
            runAt: string;
            weekKey: string;
            timeZone: string;
            startedAt: string;
            endedAt: string | null;
            attempts: number;
            leadsAssigned: number;
            membersServed: number;
            membersShort: number;
            /** @description leads the eligible members were owed but did not get */
            leadsShort: number;
            membersNotified: number;
            /** @description members whose email has no known outcome (the send got no answer, or the run stopped between claiming and recording it): never sent again, so at most one email per run */
            notifiedUnknown: number;
            /** @description members served whose address is marked (SES reported a hard bounce or a complaint): their leads are assigned, no email is sent */
            membersNotMailed: number;
            uploadsTouched: string[];
            uploadsExhausted: string[];
            skippedReason?: string;
            error?: string;
        };
        Schedule: {
            id: string;
            name: string;
            /** @enum {string} */
            kind: "weekly" | "monthly";
            /** @enum {string} */
            dayOfWeek?: "MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT" | "SUN";
            dayOfMonth?: number;
            time: string;
            timeZone: string;
            enabled: boolean;
            /** @description the EventBridge Scheduler expression */
            expression: string;
            /** @enum {string} */
            sync: "pending" | "synced";
            syncError?: string;
            nextRuns: {
                at: string;
                local: string;
            }[];
            dstNotices: {
                date: string;
                /** @enum {string} */
                kind: "skipped" | "repeated-time-runs-once";
            }[];
            createdAt: string;
            updatedAt: string;
        };
        ScheduleErrors: {
            errors: {
                field: string;
                message: string;
            }[];
        };
        Suppression: {
            id: string;
            /** @enum {string} */
            kind: "email" | "domain";
            /** @description domains only: an address is never shown */
            domain: string | null;
            /** @enum {string} */
            source: "admin" | "import" | "erasure";
            addedBy: string;
            addedAt: string;
        };
        Upload: {
            uploadId: string;
            fileName: string;
            /** @enum {string} */
            state: "awaiting_upload" | "ingesting" | "verifying" | "queued" | "paused" | "withdrawn" | "completed" | "exhausted" | "failed" | "duplicate_file";
            uploadedBy: string;
            createdAt: string;
            updatedAt: string;
            sizeBytes: number;
            counts: {
                rowsRead: number;
                accepted: number;
                duplicateInFile: number;
                duplicateOfEarlier: number;
                rejected: number;
                verificationPending: number;
                deliverable: number;
                undeliverable: number;
                assigned: number;
            };
            failureReason?: string;
            stoppedAtRow?: number;
            duplicateOf?: string;
            /** @description withdrawn with its undelivered leads' hashes released (those people may be uploaded again) */
            hashesReleasedAt?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getAdminHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description degraded (answered with 503) if a table is unreachable
                         * @enum {string}
                         */
                        status: "ok" | "degraded";
                        build: {
                            version: string;
                            stage: string;
                            node: string;
                        };
                        tables: {
                            [key: string]: {
                                reachable: boolean;
                                status?: string;
                            };
                        };
                    };
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a table is unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description degraded (answered with 503) if a table is unreachable
                         * @enum {string}
                         */
                        status: "ok" | "degraded";
                        build: {
                            version: string;
                            stage: string;
                            node: string;
                        };
                        tables: {
                            [key: string]: {
                                reachable: boolean;
                                status?: string;
                            };
                        };
                    };
                };
            };
        };
    };
    getAdminUploads: {
        parameters: {
            query?: {
                /** @description page size (default 25) */
                limit?: number;
                /** @description the previous page's nextCursor, as it was given (opaque) */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uploads: components["schemas"]["Upload"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminUploads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    fileName: string & (string);
                    /** @description the file's size; at most uploads.maxBytes (50 MB by default) */
                    sizeBytes: number;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uploadId: string;
                        /** @enum {string} */
                        state: "awaiting_upload";
                        upload: {
                            url: string;
                            /** @description post every field first, the file last */
                            fields: {
                                [key: string]: string;
                            };
                            expiresInSeconds: number;
                        };
                        maxBytes: number;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminUploadsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uploadId: string;
                        fileName: string;
                        /** @enum {string} */
                        state: "awaiting_upload" | "ingesting" | "verifying" | "queued" | "paused" | "withdrawn" | "completed" | "exhausted" | "failed" | "duplicate_file";
                        uploadedBy: string;
                        createdAt: string;
                        updatedAt: string;
                        sizeBytes: number;
                        counts: {
                            rowsRead: number;
                            accepted: number;
                            duplicateInFile: number;
                            duplicateOfEarlier: number;
                            rejected: number;
                            verificationPending: number;
                            deliverable: number;
                            undeliverable: number;
                            assigned: number;
                        };
                        failureReason?: string;
                        stoppedAtRow?: number;
                        duplicateOf?: string;
                        /** @description withdrawn with its undelivered leads' hashes released (those people may be uploaded again) */
                        hashesReleasedAt?: string;
                        /** @description ingest (rows read, rows done), then verification (leads verified, pending) */
                        progress: {
                            rowsRead: number;
                            rowsDone: number;
                            /** @description accepted leads the verifier has settled */
                            verified: number;
                            /** @description accepted leads still to be verified */
                            verificationPending: number;
                        };
                        /** @description a short-lived link to the per-row result file, once written */
                        result?: {
                            url: string;
                            expiresInSeconds: number;
                        };
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminUploadsIdPause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Upload"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the upload is not queued (the answer names its state) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminUploadsIdResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Upload"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the upload is not paused (the answer names its state) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminUploadsIdWithdraw: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * @description also forget the undelivered leads (their hashes), so the same people can be uploaded again; by default they stay known as duplicates
                     * @default false
                     */
                    releaseHashes?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Upload"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the upload is neither queued nor paused, or a distribution run is in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminUploadsIdRelease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        upload: components["schemas"]["Upload"];
                        /** @description leads whose answer never came, rejected now with reason `unverified` */
                        rejectedUnverified: number;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the upload is not in verification (the answer names its state) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminReturns: {
        parameters: {
            query?: {
                /** @description page size (default 50) */
                limit?: number;
                /** @description the previous page's nextCursor, as it was given (opaque) */
                cursor?: string;
                /** @description which returns (default pending) */
                state?: "pending" | "approved" | "refused";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description oldest first */
                        returns: components["schemas"]["LeadReturn"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminMembersIdReturns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        returns: components["schemas"]["LeadReturn"][];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminReturnsIdApprove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description shown to the member */
                    note?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadReturn"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the return was refused already (approving it again answers it as it is) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminReturnsIdRefuse: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description why: shown to the member */
                    note: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadReturn"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the return was approved already (refusing it again answers it as it is) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminMembers: {
        parameters: {
            query?: {
                /** @description page size (default 50) */
                limit?: number;
                /** @description the previous page's nextCursor, as it was given (opaque) */
                cursor?: string;
                /** @description true: only members owed leads; false: only members who are not; absent: all */
                eligible?: "true" | "false";
                /** @description only this tier's members (a configured tier name) */
                tier?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        members: {
                            id: string;
                            email: string;
                            name: string;
                            tier: string;
                            subscriptionStatus: string;
                            subscriptionEndsAt: string | null;
                            subscriptionStartedAt: string | null;
                            weeklyQuotaOverride: number | null;
                            weeklyQuota: number;
                            eligible: boolean;
                            version: number;
                            updatedAt: string;
                            /** @description SES reported the current address as permanently bouncing or complaining: the member is not emailed until an admin clears the mark (DELETE /admin/members/{id}/address-mark) or the address changes */
                            addressMark: {
                                /** @enum {string} */
                                reason: "hard-bounce" | "complaint";
                                at: string;
                            } | null;
                            /** @description transient bounces SES reported for the current address (counted, not suppressing) */
                            softBounces: number;
                        }[];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminMembersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberDetail"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAdminMembersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    name: string;
                    /** @description one of the configured tiers (by default starter, growth, pro, elite) */
                    tier: string;
                    /** @enum {string} */
                    subscriptionStatus: "active" | "trialing" | "past_due" | "unpaid" | "paused" | "canceled" | "incomplete" | "incomplete_expired";
                    /** Format: date-time */
                    subscriptionEndsAt?: string | null;
                    /**
                     * Format: date-time
                     * @description when the paid subscription began: a member who joins mid-week is owed that week pro rata from here
                     */
                    subscriptionStartedAt?: string | null;
                    weeklyQuotaOverride?: number | null;
                };
            };
        };
        responses: {
            /** @description changed, or unchanged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        outcome: "created" | "updated" | "unchanged";
                        member: {
                            id: string;
                            email: string;
                            name: string;
                            tier: string;
                            subscriptionStatus: string;
                            subscriptionEndsAt: string | null;
                            subscriptionStartedAt: string | null;
                            weeklyQuotaOverride: number | null;
                            weeklyQuota: number;
                            eligible: boolean;
                            version: number;
                            updatedAt: string;
                            /** @description SES reported the current address as permanently bouncing or complaining: the member is not emailed until an admin clears the mark (DELETE /admin/members/{id}/address-mark) or the address changes */
                            addressMark: {
                                /** @enum {string} */
                                reason: "hard-bounce" | "complaint";
                                at: string;
                            } | null;
                            /** @description transient bounces SES reported for the current address (counted, not suppressing) */
                            softBounces: number;
                        };
                    };
                };
            };
            /** @description created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        outcome: "created" | "updated" | "unchanged";
                        member: {
                            id: string;
                            email: string;
                            name: string;
                            tier: string;
                            subscriptionStatus: string;
                            subscriptionEndsAt: string | null;
                            subscriptionStartedAt: string | null;
                            weeklyQuotaOverride: number | null;
                            weeklyQuota: number;
                            eligible: boolean;
                            version: number;
                            updatedAt: string;
                            /** @description SES reported the current address as permanently bouncing or complaining: the member is not emailed until an admin clears the mark (DELETE /admin/members/{id}/address-mark) or the address changes */
                            addressMark: {
                                /** @enum {string} */
                                reason: "hard-bounce" | "complaint";
                                at: string;
                            } | null;
                            /** @description transient bounces SES reported for the current address (counted, not suppressing) */
                            softBounces: number;
                        };
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description another request changed the member at the same time; retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminMembersIdLeads: {
        parameters: {
            query?: {
                /** @description page size (default 50) */
                limit?: number;
                /** @description the previous page's nextCursor, as it was given (opaque) */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description newest first */
                        leads: components["schemas"]["DeliveredLead"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminMembersIdLedger: {
        parameters: {
            query?: {
                /** @description how many weeks back, this one included (default 12) */
                weeks?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberLedger"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAdminMembersIdAddressMark: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description cleared (updated), or there was no mark (unchanged) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        outcome: "created" | "updated" | "unchanged";
                        member: {
                            id: string;
                            email: string;
                            name: string;
                            tier: string;
                            subscriptionStatus: string;
                            subscriptionEndsAt: string | null;
                            subscriptionStartedAt: string | null;
                            weeklyQuotaOverride: number | null;
                            weeklyQuota: number;
                            eligible: boolean;
                            version: number;
                            updatedAt: string;
                            /** @description SES reported the current address as permanently bouncing or complaining: the member is not emailed until an admin clears the mark (DELETE /admin/members/{id}/address-mark) or the address changes */
                            addressMark: {
                                /** @enum {string} */
                                reason: "hard-bounce" | "complaint";
                                at: string;
                            } | null;
                            /** @description transient bounces SES reported for the current address (counted, not suppressing) */
                            softBounces: number;
                        };
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description another request changed the member at the same time; retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminMembersIdAutomailerLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        memberId: string;
                        /** @description whether AutoMailer may read this member's leads */
                        linked: boolean;
                        link: {
                            clientId: string;
                            /**
                             * Format: date-time
                             * @description first hand-off since the last revocation
                             */
                            linkedAt: string;
                            /** Format: date-time */
                            lastHandoffAt: string;
                            /**
                             * Format: date-time
                             * @description AutoMailer's latest read of the leads
                             */
                            lastReadAt: string | null;
                            /** @description reads of the leads by AutoMailer under this link */
                            readCount: number;
                        } | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAdminMembersIdAutomailerLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked, or was not linked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminSuppressions: {
        parameters: {
            query?: {
                /** @description page size (default 50) */
                limit?: number;
                /** @description the previous page's nextCursor, as it was given (opaque) */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        suppressions: components["schemas"]["Suppression"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminSuppressions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description an address; only its keyed hash is kept */
                    email: string;
                } | {
                    /** @description a domain and its subdomains */
                    domain: string;
                };
            };
        };
        responses: {
            /** @description listed already; nothing changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description false: it was listed already and nothing changed */
                        created: boolean;
                        suppression: components["schemas"]["Suppression"];
                    };
                };
            };
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description false: it was listed already and nothing changed */
                        created: boolean;
                        suppression: components["schemas"]["Suppression"];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminSuppressionsImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entries: ({
                        /** @description an address; only its keyed hash is kept */
                        email: string;
                    } | {
                        /** @description a domain and its subdomains */
                        domain: string;
                    })[];
                };
                "text/csv": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        received: number;
                        added: number;
                        alreadyListed: number;
                        refused: {
                            row: number;
                            reason: string;
                        }[];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAdminSuppressionsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminErasures: {
        parameters: {
            query?: {
                /** @description page size (default 50) */
                limit?: number;
                /** @description the previous page's nextCursor, as it was given (opaque) */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        erasures: components["schemas"]["Erasure"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminErasures: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the person's address; it is not kept */
                    email: string;
                };
            };
        };
        responses: {
            /** @description the erasure record (never the address) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Erasure"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminMembersImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    name: string;
                    /** @description one of the configured tiers (by default starter, growth, pro, elite) */
                    tier: string;
                    /** @enum {string} */
                    subscriptionStatus: "active" | "trialing" | "past_due" | "unpaid" | "paused" | "canceled" | "incomplete" | "incomplete_expired";
                    /** Format: date-time */
                    subscriptionEndsAt?: string | null;
                    /**
                     * Format: date-time
                     * @description when the paid subscription began: a member who joins mid-week is owed that week pro rata from here
                     */
                    subscriptionStartedAt?: string | null;
                    weeklyQuotaOverride?: number | null;
                    id: string;
                }[] | {
                    members: {
                        email: string;
                        name: string;
                        /** @description one of the configured tiers (by default starter, growth, pro, elite) */
                        tier: string;
                        /** @enum {string} */
                        subscriptionStatus: "active" | "trialing" | "past_due" | "unpaid" | "paused" | "canceled" | "incomplete" | "incomplete_expired";
                        /** Format: date-time */
                        subscriptionEndsAt?: string | null;
                        /**
                         * Format: date-time
                         * @description when the paid subscription began: a member who joins mid-week is owed that week pro rata from here
                         */
                        subscriptionStartedAt?: string | null;
                        weeklyQuotaOverride?: number | null;
                        id: string;
                    }[];
                };
                "text/csv": string;
            };
        };
        responses: {
            /** @description the tally; rows that could not be applied are listed with their row number */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        received: number;
                        created: number;
                        updated: number;
                        unchanged: number;
                        failed: number;
                        errors: {
                            row: number;
                            memberId?: string;
                            field?: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminSchedules: {
        parameters: {
            query?: {
                /** @description page size (default 50) */
                limit?: number;
                /** @description the previous page's nextCursor, as it was given (opaque) */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        schedules: components["schemas"]["Schedule"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminSchedules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    kind: "weekly" | "monthly";
                    dayOfWeek?: string;
                    dayOfMonth?: number;
                    time: string;
                    timeZone: string;
                    /** @default true */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        schedule: components["schemas"]["Schedule"];
                    };
                };
            };
            /** @description saved; Scheduler not yet updated (sync: pending) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        schedule: components["schemas"]["Schedule"];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminSchedulesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        schedule: components["schemas"]["Schedule"];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAdminSchedulesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    kind: "weekly" | "monthly";
                    dayOfWeek?: string;
                    dayOfMonth?: number;
                    time: string;
                    timeZone: string;
                    /** @default true */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        schedule: components["schemas"]["Schedule"];
                    };
                };
            };
            /** @description saved; Scheduler not yet updated (sync: pending) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        schedule: components["schemas"]["Schedule"];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description another request changed the schedule at the same time; read it and retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAdminSchedulesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Scheduler not yet updated; deleted on the next read */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        schedule: components["schemas"]["Schedule"];
                    };
                };
            };
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description another request changed the schedule at the same time; read it and retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminDistributions: {
        parameters: {
            query?: {
                /** @description page size (default 20) */
                limit?: number;
                /** @description the previous page's nextCursor, as it was given (opaque) */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runs: components["schemas"]["Run"][];
                        /** @description null until a run has ended */
                        heartbeat: components["schemas"]["Heartbeat"] | null;
                        /** @description pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAdminDistributions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * @description true: only plan, write nothing
                     * @default false
                     */
                    dryRun?: boolean;
                    /** @description the week's zone; distribution.timeZone by default */
                    timeZone?: string;
                };
            };
        };
        responses: {
            /** @description dryRun: the plan, nothing written */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {boolean} */
                        dryRun: true;
                        weekKey: string;
                        timeZone: string;
                        eligibleMembers: number;
                        totals: {
                            need: number;
                            assigned: number;
                            shortfall: number;
                        };
                        members: {
                            memberId: string;
                            tier: string;
                            receivedThisWeek: number;
                            /** @description this week's accrued entitlement (pro rata for part weeks) */
                            accrued: number;
                            /** @description unmet entitlement carried over from before */
                            carriedIn: number;
                            /** @description what this run owes: accrued + carried in - received this week */
                            owed: number;
                            /** @description what the run would deliver (less when the supply is short) */
                            planned: number;
                            shortfall: number;
                            fromUploads: {
                                uploadId: string;
                                count: number;
                            }[];
                        }[];
                        shortMembers: {
                            memberId: string;
                            tier: string;
                            owed: number;
                            planned: number;
                        }[];
                        uploads: {
                            uploadId: string;
                            leadsWalked: number;
                            assignments: number;
                            exhausted: boolean;
                        }[];
                        exhaustedUploads: string[];
                    };
                };
            };
            /** @description the run starts within about a minute */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        requestedAt: string;
                        startsAt: string;
                        timeZone: string;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminDistributionsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a run id, as the run list gives it */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run: components["schemas"]["Run"];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminOverview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        generatedAt: string;
                        leads: {
                            pendingVerification: number;
                            availableForDistribution: number;
                            distributedThisWeek: number;
                            distributedAllTime: number;
                            duplicatesAllTime: number;
                            duplicatesInFileAllTime: number;
                            duplicatesOfEarlierAllTime: number;
                            rejectedRowsAllTime: number;
                            undeliverableAllTime: number;
                        };
                        uploads: {
                            queued: number;
                            /** Format: date-time */
                            oldestQueuedAt: string | null;
                            /** @description Uploads stuck in ingesting (lease expired, no progress) at the stale-upload sweeper’s last pass */
                            stuck: number;
                            /** @description Their ids, at most 20 */
                            stuckUploadIds: string[];
                        };
                        members: {
                            eligible: number;
                            eligibleByTier: {
                                [key: string]: number;
                            };
                            /** @description Members whose address SES reported as hard bouncing or complaining: they get leads but no email until an admin clears the mark */
                            withMarkedAddress: number;
                        };
                        weeklyDemand: number;
                        /** @description members' returns of delivered leads, by state (maintained counters) */
                        returns: {
                            pending: number;
                            approved: number;
                            refused: number;
                        };
                        supply: {
                            /** @description leads available over the weekly demand: weeks of entitlement covered; null while no member is eligible */
                            weeksLeft: number | null;
                            /** Format: date */
                            runsOutOn: string | null;
                            /** @description the enabled schedules' next year of runs against today's demand; null without an enabled schedule or demand */
                            forecast: {
                                /** @description weeks from now until that run; null when no run within a year falls short */
                                weeksUntilShort: number | null;
                                /** @description the first scheduled run the supply cannot cover */
                                firstShortRun: {
                                    scheduleId: string;
                                    name: string;
                                    /** Format: date-time */
                                    at: string;
                                    /** @description what the run will owe the eligible members (the weeks since the run before it) */
                                    owed: number;
                                    /** @description what will be left for it */
                                    available: number;
                                    short: number;
                                } | null;
                                /** @description leads still being verified, not counted above */
                                leadsInVerification: number;
                                /** @description the same forecast counting the leads in verification as available */
                                withVerification: {
                                    /** @description weeks from now until that run; null when no run within a year falls short */
                                    weeksUntilShort: number | null;
                                    /** @description the first scheduled run the supply cannot cover */
                                    firstShortRun: {
                                        scheduleId: string;
                                        name: string;
                                        /** Format: date-time */
                                        at: string;
                                        /** @description what the run will owe the eligible members (the weeks since the run before it) */
                                        owed: number;
                                        /** @description what will be left for it */
                                        available: number;
                                        short: number;
                                    } | null;
                                };
                            } | null;
                        };
                        lastRun: {
                            runId: string;
                            /** @enum {string} */
                            state: "running" | "succeeded" | "failed" | "skipped";
                            /** @enum {string} */
                            trigger: "schedule" | "manual";
                            /** Format: date-time */
                            startedAt: string;
                            /** Format: date-time */
                            endedAt: string | null;
                            leadsAssigned: number;
                        } | null;
                        nextRun: {
                            scheduleId: string;
                            name: string;
                            /** Format: date-time */
                            at: string;
                        } | null;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAdminSchedulerHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        verdict: "healthy" | "degraded" | "failing";
                        /** @description Why the verdict is not healthy, worst first */
                        reasons: string[];
                        /** Format: date-time */
                        checkedAt: string;
                        /** @description null until a run has ended */
                        heartbeat: {
                            lastRunId: string;
                            /** @enum {string} */
                            lastRunState: "running" | "succeeded" | "failed" | "skipped";
                            /** @enum {string} */
                            lastRunTrigger: "schedule" | "manual";
                            /**
                             * Format: date-time
                             * @description when that run ended
                             */
                            lastRunAt: string;
                            /**
                             * Format: date-time
                             * @description when a run last succeeded
                             */
                            lastSuccessAt?: string;
                            /** @description a succeeded run: leads it assigned */
                            leadsAssigned?: number;
                            /** @description a succeeded run: members it served */
                            membersServed?: number;
                            /** @description a skipped run: why */
                            skippedReason?: string;
                            /** @description a failed run: its error */
                            error?: string;
                            /** @description seconds since the last run ended */
                            ageSeconds: number | null;
                        } | null;
                        schedules: {
                            scheduleId: string;
                            name: string;
                            enabled: boolean;
                            /** @enum {string} */
                            sync: "pending" | "synced";
                            /** Format: date-time */
                            lastDueAt: string | null;
                            /** @enum {string} */
                            lastDueOutcome: "succeeded" | "skipped" | "running" | "failed" | "not-started" | "not-due";
                            overdue: boolean;
                            /** Format: date-time */
                            nextFireAt: string | null;
                        }[];
                        overdueSchedules: number;
                        deadLetterQueues: {
                            name: string;
                            depth: number;
                        }[];
                        /** @description Uploads stuck in ingesting at the stale-upload sweeper’s last pass (it resumes them, then fails them) */
                        stuckUploads: number;
                        /** @description the latest runs, newest first */
                        runs: components["schemas"]["Run"][];
                        failures: {
                            runId: string;
                            /** @enum {string} */
                            trigger: "schedule" | "manual";
                            scheduleId?: string;
                            /** Format: date-time */
                            startedAt: string;
                            /** Format: date-time */
                            endedAt: string | null;
                            error: string | null;
                        }[];
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSsoAutomailer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    state?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description AutoMailer's SSO callback with the one-time code (and state) */
                        redirectUrl: string;
                        code: string;
                        /** @description seconds the code stays redeemable */
                        expiresIn: number;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMembersMeLeadsCsv: {
        parameters: {
            query?: {
                since?: string;
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv; charset=utf-8": string;
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMembersMeReturns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        returns: components["schemas"]["LeadReturn"][];
                    };
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMembersMeReturns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the email address of the delivered lead */
                    email: string;
                    /** @enum {string} */
                    reason: "bounced" | "wrong_person" | "duplicate_of_mine" | "other";
                    /** @description required with reason `other`: what is wrong with the lead */
                    text?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadReturn"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description refused: `details.reason` is outside_window, over_weekly_cap or already_returned, and the message says why */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMembersMeLedger: {
        parameters: {
            query?: {
                /** @description how many weeks back, this one included (default 12) */
                weeks?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberLedger"];
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMembersMeAutomailerLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        memberId: string;
                        /** @description whether AutoMailer may read this member's leads */
                        linked: boolean;
                        link: {
                            clientId: string;
                            /**
                             * Format: date-time
                             * @description first hand-off since the last revocation
                             */
                            linkedAt: string;
                            /** Format: date-time */
                            lastHandoffAt: string;
                            /**
                             * Format: date-time
                             * @description AutoMailer's latest read of the leads
                             */
                            lastReadAt: string | null;
                            /** @description reads of the leads by AutoMailer under this link */
                            readCount: number;
                        } | null;
                    };
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteMembersMeAutomailerLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked, or was not linked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The credential may not call this route */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAutomailerSsoToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    /** Format: uri */
                    redirectUri?: string;
                    memberId?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description ES256 JWT, verifiable with /.well-known/jwks.json */
                        identityToken: string;
                        /** @example automailer-id+jwt */
                        tokenType: string;
                        expiresIn: number;
                        memberId: string;
                    };
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid API key, not AutoMailer, or the member has not linked AutoMailer (`not_linked`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is in a media type the route does not read */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAutomailerMembersMemberIdLeadsCsv: {
        parameters: {
            query?: {
                since?: string;
                limit?: string;
            };
            header?: never;
            path: {
                memberId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv; charset=utf-8": string;
                };
            };
            /** @description Malformed JSON, or a path, query or body that fails validation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No credential, or one that is invalid or expired */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No valid API key, not AutoMailer, or the member has not linked AutoMailer (`not_linked`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such item (or member) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWellKnownJwksJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/jwk-set+json": {
                        keys: {
                            /** @enum {string} */
                            kty: "EC";
                            /** @enum {string} */
                            crv: "P-256";
                            x: string;
                            y: string;
                            kid: string;
                            /** @enum {string} */
                            alg: "ES256";
                            /** @enum {string} */
                            use: "sig";
                        }[];
                    };
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenapiJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        info: {
                            title: string;
                            version: string;
                            description?: string;
                        };
                        servers: {
                            url: string;
                        }[];
                        tags: {
                            name: string;
                            description?: string;
                        }[];
                        paths: {
                            [key: string]: {
                                [key: string]: {
                                    summary: string;
                                    operationId: string;
                                    tags: string[];
                                    security: {
                                        [key: string]: string[];
                                    }[];
                                    parameters?: {
                                        name: string;
                                        /** @enum {string} */
                                        in: "path" | "query" | "header" | "cookie";
                                        required?: boolean;
                                        description?: string;
                                        /** @description an OpenAPI 3.0 Schema Object */
                                        schema: {
                                            [key: string]: unknown;
                                        };
                                    }[];
                                    requestBody?: {
                                        required?: boolean;
                                        content: {
                                            [key: string]: {
                                                /** @description an OpenAPI 3.0 Schema Object */
                                                schema: {
                                                    [key: string]: unknown;
                                                };
                                            };
                                        };
                                    };
                                    responses: {
                                        [key: string]: {
                                            description: string;
                                            content?: {
                                                [key: string]: {
                                                    /** @description an OpenAPI 3.0 Schema Object */
                                                    schema: {
                                                        [key: string]: unknown;
                                                    };
                                                };
                                            };
                                        };
                                    };
                                };
                            };
                        };
                        components: {
                            schemas: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            parameters?: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            securitySchemes: {
                                [key: string]: {
                                    /** @enum {string} */
                                    type: "http" | "apiKey";
                                    scheme?: string;
                                    bearerFormat?: string;
                                    /** @enum {string} */
                                    in?: "header" | "query" | "cookie";
                                    name?: string;
                                    description?: string;
                                };
                            };
                        };
                    };
                };
            };
            /** @description Too many requests: the rate limit (or a usage-plan quota) was exceeded */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An error on our side; it has been logged */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}

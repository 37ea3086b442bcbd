namespace EventBooking.ApiService.Admin;

/// <summary>
/// The analytics queries in each provider's own SQL: SQLite's date functions and boolean sums, PostgreSQL's
/// intervals and FILTER clauses. Both return the same columns, so the stats endpoint is one piece of code.
/// </summary>
internal static class StatsSql
{
    public static FormattableString OrdersPerDay(bool postgres, DateTime since) => postgres
        ? (FormattableString)$"""
            SELECT to_char("CreatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "Day", COUNT(*)::int AS "Count"
            FROM "Orders" WHERE "CreatedAt" >= {since}
            GROUP BY 1
            """
        : $"""
            SELECT date("CreatedAt") AS "Day", COUNT(*) AS "Count"
            FROM "Orders" WHERE "CreatedAt" >= {since}
            GROUP BY date("CreatedAt")
            """;

    public static FormattableString OrderGroups(bool postgres, DateTime since) => postgres
        ? (FormattableString)$"""
            SELECT "EventType", "Status", "BudgetRange", COUNT(*)::int AS "Count", SUM("GuestCount")::bigint AS "Guests"
            FROM "Orders" WHERE "CreatedAt" >= {since}
            GROUP BY "EventType", "Status", "BudgetRange"
            """
        : $"""
            SELECT "EventType", "Status", "BudgetRange", COUNT(*) AS "Count", SUM("GuestCount") AS "Guests"
            FROM "Orders" WHERE "CreatedAt" >= {since}
            GROUP BY "EventType", "Status", "BudgetRange"
            """;

    public static FormattableString ContactedCount(bool postgres, DateTime since) => postgres
        ? (FormattableString)$"""
            SELECT COUNT(DISTINCT c."OrderId")::int AS "Value" FROM "OrderStatusChanges" c JOIN "Orders" o ON o."Id" = c."OrderId"
            WHERE c."To" = 'Contacted' AND o."CreatedAt" >= {since}
            """
        : $"""
            SELECT COUNT(DISTINCT c."OrderId") AS "Value" FROM "OrderStatusChanges" c JOIN "Orders" o ON o."Id" = c."OrderId"
            WHERE c."To" = 'Contacted' AND o."CreatedAt" >= {since}
            """;

    /// <summary>Hours from creation to the first move to Contacted, the <paramref name="offset"/>-th smallest (the median).</summary>
    public static FormattableString HoursToContact(bool postgres, DateTime since, int offset) => postgres
        ? (FormattableString)$"""
            SELECT EXTRACT(EPOCH FROM MIN(c."ChangedAt") - o."CreatedAt")::double precision / 3600.0 AS "Value"
            FROM "OrderStatusChanges" c JOIN "Orders" o ON o."Id" = c."OrderId"
            WHERE c."To" = 'Contacted' AND o."CreatedAt" >= {since}
            GROUP BY o."Id" ORDER BY "Value" LIMIT 1 OFFSET {offset}
            """
        : $"""
            SELECT (julianday(MIN(c."ChangedAt")) - julianday(o."CreatedAt")) * 24.0 AS "Value"
            FROM "OrderStatusChanges" c JOIN "Orders" o ON o."Id" = c."OrderId"
            WHERE c."To" = 'Contacted' AND o."CreatedAt" >= {since}
            GROUP BY o."Id" ORDER BY "Value" LIMIT 1 OFFSET {offset}
            """;

    public static FormattableString PromoFunnel(bool postgres) => postgres
        ? (FormattableString)$"""
            SELECT COUNT(*)::int AS "SignUps",
                   COUNT(*) FILTER (WHERE "ConfirmedAt" IS NOT NULL OR "ConfirmBy" IS NULL)::int AS "Confirmed",
                   COUNT(*) FILTER (WHERE "Status" = 'CodeIssued')::int AS "CodesIssued",
                   COUNT(*) FILTER (WHERE "Status" = 'SoldOut')::int AS "SoldOut",
                   COUNT(*) FILTER (WHERE "Status" = 'Failed')::int AS "Failed",
                   COUNT(*) FILTER (WHERE "Status" IN ('Queued', 'Processing'))::int AS "Waiting",
                   AVG(EXTRACT(EPOCH FROM "ProcessingStartedAt" - "CreatedAt"))::double precision AS "AverageQueueWaitSeconds",
                   AVG(EXTRACT(EPOCH FROM "DecidedAt" - "ProcessingStartedAt"))::double precision AS "AverageProcessingSeconds"
            FROM "PromoRegistrations"
            """
        : $"""
            SELECT COUNT(*) AS "SignUps",
                   COALESCE(SUM("ConfirmedAt" IS NOT NULL OR "ConfirmBy" IS NULL), 0) AS "Confirmed",
                   COALESCE(SUM("Status" = 'CodeIssued'), 0) AS "CodesIssued",
                   COALESCE(SUM("Status" = 'SoldOut'), 0) AS "SoldOut",
                   COALESCE(SUM("Status" = 'Failed'), 0) AS "Failed",
                   COALESCE(SUM("Status" IN ('Queued', 'Processing')), 0) AS "Waiting",
                   AVG((julianday("ProcessingStartedAt") - julianday("CreatedAt")) * 86400.0) AS "AverageQueueWaitSeconds",
                   AVG((julianday("DecidedAt") - julianday("ProcessingStartedAt")) * 86400.0) AS "AverageProcessingSeconds"
            FROM "PromoRegistrations"
            """;
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ActivityFeed.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class FeedPlanOccurredLead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<TimeSpan>(
                name: "occurred_lead",
                table: "orgs",
                type: "interval",
                nullable: false,
                defaultValueSql: "interval '0'");

            // Rows already there, then every insert (the API's, a COPY, a script's): the lead only grows,
            // so a stale larger value is still a true bound. Statement-level, so a batch costs one update,
            // and only when it raises the lead.
            migrationBuilder.Sql("""
                UPDATE orgs SET occurred_lead = lead.value
                FROM (SELECT org_id, max(occurred_at - created_at) AS value FROM activities GROUP BY org_id) AS lead
                WHERE orgs.id = lead.org_id AND lead.value > orgs.occurred_lead;

                CREATE FUNCTION activities_raise_occurred_lead() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE orgs SET occurred_lead = lead.value
                    FROM (SELECT org_id, max(occurred_at - created_at) AS value FROM inserted GROUP BY org_id) AS lead
                    WHERE orgs.id = lead.org_id AND lead.value > orgs.occurred_lead;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER activities_raise_occurred_lead AFTER INSERT ON activities
                REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION activities_raise_occurred_lead();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER activities_raise_occurred_lead ON activities;
                DROP FUNCTION activities_raise_occurred_lead();
                """);

            migrationBuilder.DropColumn(
                name: "occurred_lead",
                table: "orgs");
        }
    }
}

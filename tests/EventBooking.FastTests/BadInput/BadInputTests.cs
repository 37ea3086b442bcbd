using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventBooking.FastTests.Infrastructure;
using EventBooking.ServiceDefaults;
using EventBooking.Tests.Orders;

namespace EventBooking.FastTests.BadInput;

/// <summary>
/// The data-driven bad-input suite (cases.json, written by generate-cases.py), against the API in memory over a real
/// SQLite file: a 4xx ProblemDetails and nothing stored for what is refused, the exact values shown back for what is
/// accepted, and the API still alive afterwards. What the site's proxy adds (413 before forwarding, sized or chunked)
/// is tested through the graph.
/// </summary>
[Trait("Category", "BadInput")]
public sealed partial class BadInputTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Lazy<Dictionary<string, JsonObject>> Cases = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "BadInput", "cases.json")))!["cases"]!.AsArray()
            .Select(c => c!.AsObject())
            .ToDictionary(c => c["id"]!.GetValue<string>()));

    private static readonly string[] StoredTables = ["Orders", "OrderStatusChanges", "PromoRegistrations", "AspNetUsers"];

    public static TheoryData<string> CaseIds => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Bad_input_gets_a_clear_4xx_and_changes_nothing_while_accepted_input_is_kept_exactly(string id)
    {
        var spec = Cases.Value[id];
        using var client = spec["auth"]?.GetValue<string>() == "manager" ? await api.SignedInManagerAsync() : api.ClientAt("192.0.2.80");
        var path = await ExpandPathAsync(spec["path"]!.GetValue<string>(), client);
        var before = CountRows();

        using var request = new HttpRequestMessage(new HttpMethod(spec["method"]!.GetValue<string>()), path) { Content = Body(spec) };
        // As a careful client sends a big body: the server refuses it before any of it is sent, instead of closing
        // the connection under a body still being written.
        request.Headers.ExpectContinue = request.Content?.Headers.ContentLength > HttpLimits.MaxRequestBodyBytes;
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        var expected = (HttpStatusCode)spec["expect"]!.GetValue<int>();
        Assert.True(expected == response.StatusCode, $"{id}: expected {(int)expected}, got {(int)response.StatusCode}: {Shorten(text)}");
        var after = CountRows();
        if ((int)response.StatusCode >= 400)
        {
            if (spec["serverLevel"] is null)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            Assert.Equal(before, after);
        }
        else
        {
            Assert.Equal(before["Orders"] + 1, after["Orders"]);
            await AssertKeptExactlyAsync(spec, JsonNode.Parse(text)!.AsObject());
        }

        using var alive = await api.CreateClient().GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public void The_suite_has_at_least_150_cases_across_every_category_the_issue_names()
    {
        var categories = Cases.Value.Values.Select(c => c["category"]!.GetValue<string>()).ToHashSet();

        Assert.True(Cases.Value.Count >= 150, $"{Cases.Value.Count} cases");
        Assert.Superset(
            new HashSet<string> { "malformed-json", "truncated-json", "wrong-types", "nulls", "missing-fields", "extra-fields", "huge-input",
                "deep-nesting", "numbers-out-of-range", "invalid-dates", "unicode", "html-payloads", "sql-payloads", "csv-formula-payloads",
                "wrong-content-type", "wrong-methods", "ids-and-traversal" },
            categories);
    }

    private async Task AssertKeptExactlyAsync(JsonObject spec, JsonObject stored)
    {
        var set = spec["set"]?.AsObject() ?? [];
        if (spec["category"]!.GetValue<string>() == "extra-fields")
        {
            // Accepted, but a client cannot choose its own status, reference, id or creation time.
            Assert.Equal("new", stored["status"]!.GetValue<string>());
            foreach (var (key, value) in set)
            {
                Assert.False(JsonNode.DeepEquals(stored[key], value), $"{key} was taken from the request");
            }

            return;
        }

        var reference = stored["reference"]!.GetValue<string>();
        var email = stored["email"]!.GetValue<string>();
        using var lookUp = await api.CreateClient().PostAsJsonAsync("/api/orders/lookup", new { reference, email });
        var lookedUp = await lookUp.Content.ReadFromJsonAsync<JsonObject>();
        foreach (var (key, value) in set)
        {
            Assert.True(JsonNode.DeepEquals(value, stored[key]), $"{key}: sent {value?.ToJsonString()}, answered {stored[key]?.ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(value, lookedUp![key]), $"{key}: sent {value?.ToJsonString()}, looked up {lookedUp[key]?.ToJsonString()}");
        }
    }

    private static HttpContent? Body(JsonObject spec)
    {
        string? text = null;
        if (spec["template"]?.GetValue<string>() is { } template)
        {
            var body = Template(template);
            foreach (var (key, value) in spec["set"]?.AsObject() ?? [])
            {
                body[key] = value?.DeepClone();
            }

            foreach (var key in spec["remove"]?.AsArray().Select(k => k!.GetValue<string>()) ?? [])
            {
                body.Remove(key);
            }

            text = body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            if (spec["truncate"]?.GetValue<double>() is { } fraction)
            {
                text = text[..(int)(text.Length * fraction)];
            }
        }
        else if (spec["raw"]?.GetValue<string>() is { } raw)
        {
            text = raw;
        }

        if (text is null)
        {
            return null;
        }

        var content = new ByteArrayContent(Bytes(Expand(text)));
        var contentType = spec.ContainsKey("contentType") ? spec["contentType"]?.GetValue<string>() : "application/json";
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    private static JsonObject Template(string name) => name switch
    {
        "order" => OrderRequests.Valid(),
        "signup" => new JsonObject { ["email"] = OrderRequests.UniqueEmail("bad-input"), ["name"] = "Bad Input" },
        "signin" => new JsonObject { ["email"] = ApiFactory.ManagerEmail, ["password"] = "not-checked-anyway" },
        "status" => new JsonObject { ["status"] = "contacted", ["version"] = 0 },
        _ => throw new ArgumentException($"Unknown template {name}"),
    };

    // {{repeat:x:N}} repeats, {{date:+N}} is today plus N days.
    private static string Expand(string text) => Token().Replace(text, match => match.Groups["kind"].Value switch
    {
        "repeat" => string.Concat(Enumerable.Repeat(match.Groups["a"].Value, int.Parse(match.Groups["b"].Value, CultureInfo.InvariantCulture))),
        "date" => OrderRequests.Today.AddDays(int.Parse(match.Groups["a"].Value, CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => match.Value,
    });

    // {{hex:...}} is a body of raw bytes, for what no JSON string can hold (invalid UTF-8).
    private static byte[] Bytes(string text) =>
        text.StartsWith("{{hex:", StringComparison.Ordinal) ? Convert.FromHexString(text[6..^2]) : Encoding.UTF8.GetBytes(text);

    private async Task<string> ExpandPathAsync(string path, HttpClient manager)
    {
        path = Expand(path);
        if (!path.Contains("{{order-id}}", StringComparison.Ordinal))
        {
            return path;
        }

        using var created = await api.ClientAt("192.0.2.81").PostAsync(OrderRequests.Valid());
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();
        var found = await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={reference}");
        return path.Replace("{{order-id}}", found.GetProperty("items")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    private Dictionary<string, long> CountRows()
    {
        using var db = api.OpenDatabase();
        return StoredTables.ToDictionary(table => table, table =>
        {
            using var count = db.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            return (long)count.ExecuteScalar()!;
        });
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";

    [GeneratedRegex(@"\{\{(?<kind>repeat|date):(?<a>[^:}]*)(?::(?<b>\d+))?\}\}")]
    private static partial Regex Token();
}

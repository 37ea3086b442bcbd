using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EventBooking.LoadTest;

/// <summary>
/// What the promo page and the person at it do, request for request (wwwroot/js/promo.js): load the page, read the
/// counter, solve the proof of work while typing, sign up, watch the status socket; with confirmation on, open the
/// mailed link (a second page, from the browser's cache), confirm and watch there too; at the final status each page
/// reads the counter once more, unless the status said no code is left. The settings come from the site itself
/// (<c>GET /api/promo</c>), so the same client measures the promotion as shipped or with its gates off.
/// </summary>
public sealed class PromoPage
{
    /// <summary>A person ready to press the button: the page is loaded and the proof of work, if any, solved.</summary>
    public sealed record Visit(string? Altcha);

    public sealed record SignUp(string Email, string RegistrationId, string StatusUrl);

    /// <summary>Where a follow is, for the report when it breaks off.</summary>
    public sealed class Step
    {
        public string Doing { get; set; } = "watching the sign-up's page";
    }

    private readonly HttpClient _http;
    private readonly SitePage _page;
    private readonly Inbox? _inbox;
    private readonly bool _proofOfWork;
    private int _confirmations;

    private PromoPage(HttpClient http, SitePage page, Inbox? inbox, bool confirmEmail, bool proofOfWork)
    {
        _http = http;
        _page = page;
        _inbox = inbox;
        ConfirmsEmail = confirmEmail;
        _proofOfWork = proofOfWork;
    }

    /// <summary>Sign-ups are confirmed from the mailed link: each person then watches from two pages.</summary>
    public bool ConfirmsEmail { get; }

    public int SocketsPerPerson => ConfirmsEmail ? 2 : 1;

    public static async Task<PromoPage> OpenAsync(HttpClient http, Inbox? inbox)
    {
        var promo = await http.GetFromJsonAsync<JsonElement>("/api/promo");
        var confirmEmail = promo.GetProperty("confirmEmail").GetBoolean();
        if (confirmEmail && inbox is null)
        {
            throw new InvalidOperationException("The site asks every sign-up to confirm its address: the bench needs an inbox to read the links from.");
        }

        return new PromoPage(http, await SitePage.DiscoverAsync(http, "/promo"), inbox, confirmEmail, promo.GetProperty("proofOfWork").GetBoolean());
    }

    public async Task<Visit> ArriveAsync()
    {
        await _page.FirstVisitAsync(_http);
        await CounterAsync();
        return new Visit(_proofOfWork ? await ProofOfWork.SolveAsync(_http) : null);
    }

    /// <summary>The button: the sign-up, or null when it was not accepted with 202.</summary>
    public async Task<SignUp?> SignUpAsync(Visit visit, string email, string name)
    {
        using var response = await _http.PostAsJsonAsync("/api/promo/registrations", new { email, name, altcha = visit.Altcha });
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new SignUp(email, body.GetProperty("registrationId").GetString()!, body.GetProperty("statusUrl").GetString()!);
    }

    /// <summary>People who confirmed from the mailed link (the others heard the end on their first page first).</summary>
    public int Confirmations => Volatile.Read(ref _confirmations);

    /// <summary>Until the final status, as the page that can show the code saw it (the mailbox's, with confirmation on).</summary>
    public async Task<PromoOutcome> FollowAsync(SignUp signUp, Action connected, Step step, CancellationToken cancellationToken)
    {
        var site = _http.BaseAddress!;
        var signUpPage = PromoClient.WatchAsync(site, signUp.StatusUrl, connected, cancellationToken);
        if (!ConfirmsEmail)
        {
            return await EndedAsync(signUpPage);
        }

        // The person clicks the link when it comes, unless the page has told them the end first (sold out: no mail).
        step.Doing = "waiting for the confirmation mail";
        var link = _inbox!.ConfirmTokenAsync(signUp.Email, cancellationToken);
        if (await Task.WhenAny(signUpPage, link) == signUpPage)
        {
            return await EndedAsync(signUpPage);
        }

        var token = await link;
        step.Doing = "confirming from the mailed link";
        await _page.ReturnVisitAsync(_http);
        await CounterAsync(); // Every load of the page reads the counter (a page opened from the mail solves no challenge).
        using var response = await _http.PostAsJsonAsync("/api/promo/confirmations", new { token }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // Decided meanwhile (e.g. sold out): the link is spent, and the page says how it ended.
            return await EndedAsync(signUpPage);
        }

        response.EnsureSuccessStatusCode();
        Interlocked.Increment(ref _confirmations);
        var confirmed = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var status = confirmed.GetProperty("status");
        step.Doing = "watching the page opened from the mail";
        var mailboxPage = status.GetProperty("isFinal").GetBoolean()
            ? PromoClient.Outcome(status, DateTime.UtcNow)
            : await PromoClient.WatchAsync(site,
                $"/ws/promo/{Uri.EscapeDataString(signUp.RegistrationId)}?key={Uri.EscapeDataString(confirmed.GetProperty("mailboxKey").GetString()!)}",
                connected, cancellationToken);
        step.Doing = "watching the sign-up's page";
        await Task.WhenAll(CounterAsync(await signUpPage), CounterAsync(mailboxPage));
        return mailboxPage;
    }

    /// <summary>The story ended on the sign-up's page.</summary>
    private async Task<PromoOutcome> EndedAsync(Task<PromoOutcome> page)
    {
        var outcome = await page;
        await CounterAsync(outcome);
        return outcome;
    }

    /// <summary>A page at its final status reads the counter once more, unless the status said none is left.</summary>
    private Task CounterAsync(PromoOutcome final) => final.CodesLeft == 0 ? Task.CompletedTask : CounterAsync();

    private async Task CounterAsync()
    {
        using var response = await _http.GetAsync("/api/promo");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }
}

using System.Collections.Immutable;
using EventBooking.Messaging;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// What the stored decisions say, as far as deciding goes: codes left, who holds one, and the last sequence decided.
/// Immutable: a plan gives a new ledger, which counts only once its decisions are committed.
/// </summary>
public sealed record CodeLedger(int CodesLeft, ImmutableHashSet<string> Holders, long LastDecided)
{
    public static CodeLedger Empty(int totalCodes) => new(totalCodes, [], 0);

    public bool SoldOut => CodesLeft <= 0;
}

/// <summary>
/// A new decision for one request: a code for a winner (who sees each step), or sold out at once. <see cref="Adopted"/>:
/// the outcome the API already told (after a restore), recorded as it was, with no step, mail or announcement.
/// </summary>
public sealed record NewDecision(PromoRequested Request, string EmailNormalized, PromoStatus Outcome, string? Code, bool Adopted = false)
{
    /// <summary>Wins a code in this plan: is shown the steps, then mailed the code.</summary>
    public bool IsWinner => Outcome == PromoStatus.CodeIssued && !Adopted;
}

/// <param name="Repeats">Requests decided before (redeliveries, republished copies): announce their stored decision.</param>
/// <param name="Decisions">New decisions, in sequence order, with no gap after <see cref="CodeLedger.LastDecided"/>.</param>
/// <param name="Held">Requests behind a gap: they wait, unacknowledged, for the sequences before them.</param>
/// <param name="Ledger">The ledger once <paramref name="Decisions"/> are stored.</param>
public sealed record DecisionPlan(
    IReadOnlyList<PromoRequested> Repeats,
    IReadOnlyList<NewDecision> Decisions,
    IReadOnlyList<PromoRequested> Held,
    CodeLedger Ledger)
{
    /// <summary>The sequence the notifier is waiting for, when requests are held behind a gap.</summary>
    public long? WaitingFor => Held.Count > 0 ? Ledger.LastDecided + 1 : null;
}

/// <summary>
/// The promo rules, with no I/O: strictly in arrival order (sequence n + 1 is never decided before n; a gap means
/// wait, never skip), a code only while codes remain and only to an email that has none, everyone else sold out.
/// </summary>
public static class PromoDecider
{
    public static DecisionPlan Plan(CodeLedger ledger, IEnumerable<PromoRequested> waiting, Func<string> newCode)
    {
        var repeats = new List<PromoRequested>();
        var decisions = new List<NewDecision>();
        var pending = new SortedDictionary<long, List<PromoRequested>>();

        foreach (var request in waiting)
        {
            if (request.Sequence <= ledger.LastDecided)
            {
                repeats.Add(request);
            }
            else if (pending.TryGetValue(request.Sequence, out var copies))
            {
                copies.Add(request);
            }
            else
            {
                pending.Add(request.Sequence, [request]);
            }
        }

        var (left, holders, last) = (ledger.CodesLeft, ledger.Holders.ToBuilder(), ledger.LastDecided);
        var held = new List<PromoRequested>();
        foreach (var (sequence, copies) in pending)
        {
            if (sequence != last + 1)
            {
                held.AddRange(copies);
                continue;
            }

            var request = copies[0];
            var email = MailboxIdentity.Of(request.Email);
            last = sequence;
            repeats.AddRange(copies.Skip(1)); // The same request twice: the first copy decides, the others repeat it.
            if (request.Told is { } told && told.IsFinal() && (told != PromoStatus.CodeIssued || (request.Code is not null && holders.Add(email))))
            {
                // Decided before a restore took this database back a moment: the person was told, so it stands.
                decisions.Add(new NewDecision(request, email, told, told == PromoStatus.CodeIssued ? request.Code : null, Adopted: true));
                left -= told == PromoStatus.CodeIssued ? 1 : 0;
                continue;
            }

            // A sign-up whose address was never confirmed takes no code: it gives its place up (Expired), or, with
            // the codes gone, hears what everyone after the last code hears.
            var wins = !request.Unconfirmed && left > 0 && holders.Add(email);
            var outcome = wins ? PromoStatus.CodeIssued : request.Unconfirmed && left > 0 ? PromoStatus.Expired : PromoStatus.SoldOut;
            decisions.Add(new NewDecision(request, email, outcome, wins ? newCode() : null));
            left -= wins ? 1 : 0;
        }

        return new DecisionPlan(repeats, decisions, held, new CodeLedger(left, holders.ToImmutable(), last));
    }

    /// <summary>
    /// How decisions are stored and announced: each winner alone, after the steps it is shown; consecutive sold-out
    /// decisions together, at once.
    /// </summary>
    public static IEnumerable<List<NewDecision>> Segments(IReadOnlyList<NewDecision> decisions)
    {
        var soldOut = new List<NewDecision>();
        foreach (var decision in decisions)
        {
            if (!decision.IsWinner)
            {
                soldOut.Add(decision);
                continue;
            }

            if (soldOut.Count > 0)
            {
                yield return soldOut;
                soldOut = [];
            }

            yield return [decision];
        }

        if (soldOut.Count > 0)
        {
            yield return soldOut;
        }
    }
}

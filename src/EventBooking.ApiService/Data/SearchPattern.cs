namespace EventBooking.ApiService.Data;

/// <summary>
/// LIKE patterns from text a manager typed: their % and _ match themselves, not any text. Lower case, to be
/// compared with lower-cased columns: case is ignored alike on SQLite and PostgreSQL (whose LIKE minds case).
/// </summary>
public static class SearchPattern
{
    public const string Escape = @"\";

    /// <summary>Matches values containing <paramref name="text"/>; use with <see cref="Escape"/>.</summary>
    public static string Containing(string text) =>
        $"%{text.Trim().ToLowerInvariant().Replace(Escape, Escape + Escape).Replace("%", Escape + "%").Replace("_", Escape + "_")}%";
}

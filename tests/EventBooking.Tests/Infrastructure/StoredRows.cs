using System.Data.Common;

namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// Reads what a service really stored, on SQLite or PostgreSQL alike: identifiers double-quoted (PostgreSQL keeps
/// EF Core's PascalCase only when quoted) and parameters as <c>@name</c> (both providers take it).
/// </summary>
public static class StoredRows
{
    public static long Count(this DbConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = db.Command(sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<T> Rows<T>(this DbConnection db, string sql, Func<DbDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using var command = db.Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static DbCommand Command(this DbConnection db, string sql, (string Name, object Value)[] parameters)
    {
        var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

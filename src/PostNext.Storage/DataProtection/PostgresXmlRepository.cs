using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace PostNext.Storage.DataProtection;

/// <summary>The ASP.NET Core Data Protection key ring in <c>postnext_data_protection_keys</c>, shared by every silo.</summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM postnext_data_protection_keys ORDER BY created_at");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    /// <summary>Every stored element with its name, for re-encryption under a new key-ring secret.</summary>
    public IReadOnlyList<(string FriendlyName, XElement Element)> GetAllNamedElements()
    {
        using var command = dataSource.CreateCommand("SELECT friendly_name, xml FROM postnext_data_protection_keys ORDER BY created_at");
        using var reader = command.ExecuteReader();
        var elements = new List<(string, XElement)>();
        while (reader.Read())
        {
            elements.Add((reader.GetString(0), XElement.Parse(reader.GetString(1))));
        }

        return elements;
    }

    /// <summary>Replaces a stored element (the same key, re-encrypted).</summary>
    public void ReplaceElement(string friendlyName, XElement element)
    {
        using var command = dataSource.CreateCommand("UPDATE postnext_data_protection_keys SET xml = $2 WHERE friendly_name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand(
            "INSERT INTO postnext_data_protection_keys (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}

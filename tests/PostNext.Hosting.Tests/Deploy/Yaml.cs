using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace PostNext.Hosting.Tests.Deploy;

/// <summary>YAML documents as JSON nodes (scalars as strings), to query manifests and rule files.</summary>
internal static class Yaml
{
    public static List<JsonNode> Documents(string text)
    {
        var deserializer = new DeserializerBuilder().Build();
        var json = new SerializerBuilder().JsonCompatible().Build();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<JsonNode>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var value = deserializer.Deserialize(parser);
            if (value is not null)
            {
                documents.Add(JsonNode.Parse(json.Serialize(value))!);
            }
        }

        return documents;
    }
}

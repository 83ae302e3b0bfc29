using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpreadNet.Benchmarks;

/// <summary>Writes the results as a JSON array, through a source-generated serializer.</summary>
internal static class ResultsJson
{
    public static async Task WriteAsync(string path, IReadOnlyList<ScenarioResult> results)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, results, ResultsJsonContext.Default.IReadOnlyListScenarioResult);
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(IReadOnlyList<ScenarioResult>))]
internal sealed partial class ResultsJsonContext : JsonSerializerContext;

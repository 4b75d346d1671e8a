using System.Text.Json;
using EarlyWarning.Contracts;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>How the outbox stores a message: the contract's type name and its JSON body.</summary>
internal static class MessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string TypeName(Type type) => type.FullName!;

    // Only contracts travel through the outbox, so the contracts assembly is the only place to look.
    public static Type? TryResolveType(string typeName) =>
        typeof(ObservationsSubmitted).Assembly.GetType(typeName, throwOnError: false);
}

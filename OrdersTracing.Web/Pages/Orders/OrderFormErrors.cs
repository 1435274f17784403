using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace OrdersTracing.Web.Pages.Orders;

/// <summary>
/// Puts the Api's validation messages next to the form fields they are about. The Api owns the rules; the form only
/// knows which of its rows became which item, since empty rows are not sent.
/// </summary>
public static partial class OrderFormErrors
{
    public static void AddTo(ModelStateDictionary modelState, ProblemDetails problem, IReadOnlyList<int> sentRows)
    {
        if (!problem.Extensions.TryGetValue("errors", out var errors) || errors is not JsonElement { ValueKind: JsonValueKind.Object } fields)
        {
            return;
        }

        foreach (var field in fields.EnumerateObject())
        {
            var key = FormKey(field.Name, sentRows);
            foreach (var message in field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                modelState.AddModelError(key, message.GetString() ?? "");
            }
        }
    }

    private static string FormKey(string apiField, IReadOnlyList<int> sentRows)
    {
        if (ItemField().Match(apiField) is { Success: true } match
            && int.TryParse(match.Groups["index"].Value, out var index) && index < sentRows.Count)
        {
            var field = match.Groups["field"].Value;
            return $"{nameof(NewModel.Items)}[{sentRows[index]}]" + (field.Length > 0 ? "." + char.ToUpperInvariant(field[0]) + field[1..] : "");
        }

        return apiField switch
        {
            "items" => nameof(NewModel.Items),
            "paymentMethod" => nameof(NewModel.PaymentMethod),
            _ => "",
        };
    }

    [GeneratedRegex(@"^items\[(?<index>\d+)\]\.?(?<field>\w*)$")]
    private static partial Regex ItemField();
}

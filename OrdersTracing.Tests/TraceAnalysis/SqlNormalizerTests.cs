using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class SqlNormalizerTests
{
    [Theory]
    [InlineData("SELECT * FROM orders WHERE id = 42", "SELECT * FROM orders WHERE id = ?")]
    [InlineData("SELECT * FROM orders WHERE total > 12.50", "SELECT * FROM orders WHERE total > ?")]
    [InlineData("SELECT * FROM users WHERE name = 'O''Brien'", "SELECT * FROM users WHERE name = ?")]
    [InlineData("SELECT * FROM orders WHERE id = $1", "SELECT * FROM orders WHERE id = ?")]
    [InlineData("SELECT * FROM orders WHERE id = @p0", "SELECT * FROM orders WHERE id = ?")]
    [InlineData("SELECT * FROM orders WHERE id = @orderId", "SELECT * FROM orders WHERE id = ?")]
    [InlineData("SELECT * FROM orders WHERE id = ?", "SELECT * FROM orders WHERE id = ?")]
    public void Values_and_placeholders_become_question_marks(string statement, string expected)
    {
        var normalized = SqlNormalizer.Normalize(statement);

        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("SELECT * FROM orders WHERE id IN (1, 2, 3)")]
    [InlineData("SELECT * FROM orders WHERE id IN (@p0,@p1)")]
    [InlineData("SELECT * FROM orders WHERE id in ($1)")]
    public void An_in_list_of_any_length_becomes_one_question_mark(string statement)
    {
        var normalized = SqlNormalizer.Normalize(statement);

        Assert.Equal("SELECT * FROM orders WHERE id IN (?)", normalized, ignoreCase: true);
    }

    [Fact]
    public void A_subquery_in_an_in_list_is_kept()
    {
        var normalized = SqlNormalizer.Normalize("SELECT * FROM orders WHERE id IN (SELECT order_id FROM items)");

        Assert.Equal("SELECT * FROM orders WHERE id IN (SELECT order_id FROM items)", normalized);
    }

    [Fact]
    public void Whitespace_and_comments_collapse_to_single_spaces()
    {
        var normalized = SqlNormalizer.Normalize("-- GetOrders\n  SELECT *\r\n\tFROM /* hot path */ orders  ");

        Assert.Equal("SELECT * FROM orders", normalized);
    }

    [Fact]
    public void Digits_in_identifiers_and_quoted_identifiers_are_kept()
    {
        var normalized = SqlNormalizer.Normalize("SELECT o.\"Line2\", address1 FROM \"Orders 2024\" o WHERE o.x::int4 = 3");

        Assert.Equal("SELECT o.\"Line2\", address1 FROM \"Orders 2024\" o WHERE o.x::int4 = ?", normalized);
    }

    [Fact]
    public void Statements_that_differ_only_in_their_values_are_equal()
    {
        var first = SqlNormalizer.Normalize("SELECT * FROM items WHERE order_id = 1 AND sku = 'A-1'");

        var second = SqlNormalizer.Normalize("SELECT  *  FROM items WHERE order_id = 20871 AND sku = 'B-22'");

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_statement_longer_than_the_stack_buffer_is_normalised_whole()
    {
        var statement = "SELECT * FROM orders WHERE id IN (" + string.Join(", ", Enumerable.Range(1, 500)) + ") AND total > 10";

        var normalized = SqlNormalizer.Normalize(statement);

        Assert.Equal("SELECT * FROM orders WHERE id IN (?) AND total > ?", normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_statement_normalises_to_an_empty_one(string? statement)
    {
        var normalized = SqlNormalizer.Normalize(statement);

        Assert.Empty(normalized);
    }
}

using EventBooking.ApiService.Orders;
using EventBooking.ApiService.Validation;

namespace EventBooking.FastTests.Rules;

public sealed class OrderRulesTests
{
    [Theory]
    [InlineData(OrderStatus.New, OrderStatus.Contacted, true)]
    [InlineData(OrderStatus.Contacted, OrderStatus.Confirmed, true)]
    [InlineData(OrderStatus.Contacted, OrderStatus.Declined, true)]
    [InlineData(OrderStatus.Confirmed, OrderStatus.Cancelled, true)]
    [InlineData(OrderStatus.New, OrderStatus.Confirmed, false)]
    [InlineData(OrderStatus.Declined, OrderStatus.Contacted, false)]
    [InlineData(OrderStatus.Cancelled, OrderStatus.Cancelled, false)]
    public void The_workflow_allows_only_its_moves(OrderStatus from, OrderStatus to, bool allowed) =>
        Assert.Equal(allowed, OrderWorkflow.Allows(from, to));

    [Fact]
    public void A_cancelled_request_goes_nowhere_and_a_new_one_can_be_contacted_or_cancelled()
    {
        Assert.Empty(OrderWorkflow.NextFrom(OrderStatus.Cancelled));
        Assert.Equal([OrderStatus.Contacted, OrderStatus.Cancelled], OrderWorkflow.NextFrom(OrderStatus.New));
    }

    [Fact]
    public void References_read_over_the_phone_have_no_look_alike_characters()
    {
        var references = Enumerable.Range(0, 1_000).Select(_ => OrderReference.New()).ToList();

        Assert.All(references, r => Assert.Matches("^EB-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$", r));
        Assert.Equal(references.Count, references.Distinct().Count());
    }

    [Theory]
    [InlineData(" eb-7k3m-9qx2 ", "EB-7K3M-9QX2")]
    [InlineData("7K3M9QX2", "EB-7K3M-9QX2")]
    [InlineData("EB 7K3M 9QX2", "EB-7K3M-9QX2")]
    [InlineData("EB-7K3M", null)]
    [InlineData("", null)]
    public void A_typed_reference_is_read_the_way_people_type_it(string typed, string? reference) =>
        Assert.Equal(reference, OrderReference.Normalize(typed));

    [Fact]
    public void Wire_names_are_kebab_case_and_read_back_in_any_case()
    {
        Assert.Equal("private-party", WireEnum<EventType>.NameOf(EventType.PrivateParty));
        Assert.True(WireEnum<EventType>.TryParse(" Private-Party ", out var parsed));
        Assert.Equal(EventType.PrivateParty, parsed);
        Assert.False(WireEnum<EventType>.TryParse("PrivateParty", out _));
    }
}

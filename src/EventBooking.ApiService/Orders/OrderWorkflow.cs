namespace EventBooking.ApiService.Orders;

/// <summary>New → Contacted → Confirmed | Declined; anything not yet cancelled → Cancelled.</summary>
public static class OrderWorkflow
{
    public static bool Allows(OrderStatus from, OrderStatus to) => (from, to) switch
    {
        (OrderStatus.New, OrderStatus.Contacted) => true,
        (OrderStatus.Contacted, OrderStatus.Confirmed or OrderStatus.Declined) => true,
        (not OrderStatus.Cancelled, OrderStatus.Cancelled) => true,
        _ => false,
    };

    public static IReadOnlyList<OrderStatus> NextFrom(OrderStatus from) =>
        [.. Enum.GetValues<OrderStatus>().Where(to => Allows(from, to))];
}

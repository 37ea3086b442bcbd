namespace EventBooking.ApiService.Orders;

/// <summary>
/// What happened to orders, for whoever needs to know (the back office's live feed) without the order API knowing
/// them. Raised after the order is committed.
/// </summary>
public sealed class OrderEvents
{
    public event Action<Order>? Created;

    public void OrderCreated(Order order) => Created?.Invoke(order);
}

namespace EventBooking.ApiService.Messaging;

/// <summary>Wakes the outbox relay as soon as a sign-up commits, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal : WakeUpSignal;

using Xunit.Abstractions;
using Xunit.Sdk;

namespace EventBooking.Tests.Promo;

/// <summary>Marks a test that needs the promotion as nobody has touched it (codes left, so winners take steps).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NeedsFreshPromotionAttribute : Attribute;

/// <summary>Marks a test that puts the graph's data back to an earlier moment (a restore): it runs after the others.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TakesTheDataBackAttribute : Attribute;

/// <summary>
/// Runs the one test that needs a fresh promotion first, and a test that takes the data back last; the others in its
/// class leave the graph sold out but clean.
/// </summary>
public sealed class FreshPromotionFirst : ITestCaseOrderer
{
    public const string TypeName = "EventBooking.Tests.Promo.FreshPromotionFirst";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(NeedsFreshPromotionAttribute)).Any() ? 0
                : test.TestMethod.Method.GetCustomAttributes(typeof(TakesTheDataBackAttribute)).Any() ? 2 : 1)
            .ThenBy(test => test.TestMethod.Method.Name, StringComparer.Ordinal);
}

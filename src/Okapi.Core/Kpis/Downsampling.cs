namespace Okapi.Core.Kpis;

/// <summary>Fewer points of a series that still look like it on a chart.</summary>
public static class Downsampling
{
    /// <summary>
    /// Largest-triangle-three-buckets (Steinarsson 2013): keeps the first and the last reading and, of each of
    /// <paramref name="threshold"/> − 2 equal buckets in between, the one reading that spans the largest triangle
    /// with the reading kept before it and the mean of the next bucket, so that peaks and dips survive.
    /// Readings must be ordered by time. The readings themselves when there are no more than the threshold.
    /// </summary>
    public static IReadOnlyList<KpiReading> LargestTriangleThreeBuckets(IReadOnlyList<KpiReading> readings, int threshold)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        if (readings.Count <= threshold)
        {
            return readings;
        }

        if (threshold == 2)
        {
            return [readings[0], readings[^1]];
        }

        // Times relative to the first reading, in seconds: ticks squared would lose precision in the area.
        var origin = readings[0].At;
        double X(int i) => (readings[i].At - origin).TotalSeconds;

        var sampled = new List<KpiReading>(threshold) { readings[0] };
        var bucketSize = (double)(readings.Count - 2) / (threshold - 2);
        var kept = 0;
        for (var bucket = 0; bucket < threshold - 2; bucket++)
        {
            var start = (int)Math.Floor(bucket * bucketSize) + 1;
            var end = (int)Math.Floor((bucket + 1) * bucketSize) + 1;

            // The next bucket's mean; for the last bucket that is the last reading.
            var nextStart = end;
            var nextEnd = Math.Min((int)Math.Floor((bucket + 2) * bucketSize) + 1, readings.Count);
            if (bucket == threshold - 3)
            {
                (nextStart, nextEnd) = (readings.Count - 1, readings.Count);
            }

            double meanX = 0, meanY = 0;
            for (var i = nextStart; i < nextEnd; i++)
            {
                meanX += X(i);
                meanY += readings[i].Value;
            }

            var nextCount = nextEnd - nextStart;
            meanX /= nextCount;
            meanY /= nextCount;

            var (ax, ay) = (X(kept), readings[kept].Value);
            var best = start;
            var bestArea = -1.0;
            for (var i = start; i < end; i++)
            {
                var area = Math.Abs(((ax - meanX) * (readings[i].Value - ay)) - ((ax - X(i)) * (meanY - ay)));
                if (area > bestArea)
                {
                    (bestArea, best) = (area, i);
                }
            }

            sampled.Add(readings[best]);
            kept = best;
        }

        sampled.Add(readings[^1]);
        return sampled;
    }
}

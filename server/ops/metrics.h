// Counters, gauges and histograms rendered in the Prometheus text format for /metrics.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>

#include <functional>
#include <map>

namespace Confab::Ops {

class Metrics
{
public:
    enum Type { Counter, Gauge, Histogram };
    using GaugeSource = std::function<QList<std::pair<QByteArray, double>>()>;

    void describe(const QByteArray &name, Type type, const QByteArray &help);
    // labels: Prometheus label text without braces, e.g. transport="polling".
    void increment(const QByteArray &name, const QByteArray &labels = {}, double delta = 1);
    void set(const QByteArray &name, const QByteArray &labels, double value);
    // Values read when /metrics is scraped.
    void addGaugeSource(const QByteArray &name, GaugeSource source);
    double value(const QByteArray &name, const QByteArray &labels = {}) const;
    // A histogram with these upper bounds (ascending; +Inf is implied).
    void describeHistogram(const QByteArray &name, const QByteArray &help, const QList<double> &bounds);
    void observe(const QByteArray &name, double value);

    QByteArray render() const;

private:
    struct Family
    {
        Type type = Counter;
        QByteArray help;
        std::map<QByteArray, double> samples;
        QList<GaugeSource> sources;
        QList<double> bounds;   // histograms
        QList<quint64> buckets; // per bound, not cumulative; the last is +Inf
        double sum = 0;
    };
    std::map<QByteArray, Family> m_families;
};

} // namespace Confab::Ops

#include "ops/metrics.h"

#include <algorithm>

namespace Confab::Ops {

void Metrics::describe(const QByteArray &name, Type type, const QByteArray &help)
{
    Family &family = m_families[name];
    family.type = type;
    family.help = help;
}

void Metrics::increment(const QByteArray &name, const QByteArray &labels, double delta)
{
    m_families[name].samples[labels] += delta;
}

void Metrics::set(const QByteArray &name, const QByteArray &labels, double value)
{
    m_families[name].samples[labels] = value;
}

void Metrics::addGaugeSource(const QByteArray &name, GaugeSource source)
{
    m_families[name].sources.append(std::move(source));
}

double Metrics::value(const QByteArray &name, const QByteArray &labels) const
{
    const auto family = m_families.find(name);
    if (family == m_families.end())
        return 0;
    const auto sample = family->second.samples.find(labels);
    return sample == family->second.samples.end() ? 0 : sample->second;
}

void Metrics::describeHistogram(const QByteArray &name, const QByteArray &help, const QList<double> &bounds)
{
    Family &family = m_families[name];
    family.type = Histogram;
    family.help = help;
    family.bounds = bounds;
    family.buckets = QList<quint64>(bounds.size() + 1, 0);
}

void Metrics::observe(const QByteArray &name, double value)
{
    const auto found = m_families.find(name);
    if (found == m_families.end() || found->second.type != Histogram)
        return;
    Family &family = found->second;
    const auto bucket = std::lower_bound(family.bounds.cbegin(), family.bounds.cend(), value) - family.bounds.cbegin();
    ++family.buckets[bucket];
    family.sum += value;
}

QByteArray Metrics::render() const
{
    QByteArray out;
    auto writeSample = [&out](const QByteArray &name, const QByteArray &labels, double value) {
        out.append(name);
        if (!labels.isEmpty())
            out.append('{').append(labels).append('}');
        out.append(' ').append(QByteArray::number(value, 'g', 15)).append('\n');
    };
    for (const auto &[name, family] : m_families) {
        if (!family.help.isEmpty())
            out.append("# HELP ").append(name).append(' ').append(family.help).append('\n');
        static const char *types[] = { " counter\n", " gauge\n", " histogram\n" };
        out.append("# TYPE ").append(name).append(types[family.type]);
        if (family.type == Histogram) {
            quint64 cumulative = 0;
            for (qsizetype i = 0; i < family.buckets.size(); ++i) {
                cumulative += family.buckets[i];
                const QByteArray bound
                    = i < family.bounds.size() ? QByteArray::number(family.bounds[i], 'g', 15) : QByteArray("+Inf");
                writeSample(name + "_bucket", "le=\"" + bound + '"', double(cumulative));
            }
            writeSample(name + "_sum", {}, family.sum);
            writeSample(name + "_count", {}, double(cumulative));
            continue;
        }
        for (const auto &[labels, value] : family.samples)
            writeSample(name, labels, value);
        for (const GaugeSource &source : family.sources) {
            for (const auto &[labels, value] : source())
                writeSample(name, labels, value);
        }
    }
    return out;
}

} // namespace Confab::Ops

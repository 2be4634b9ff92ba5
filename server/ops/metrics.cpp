#include "ops/metrics.h"

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
        out.append("# TYPE ").append(name).append(family.type == Counter ? " counter\n" : " gauge\n");
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

/** A horizontal level meter, -60..0 dBFS, zoned like Audacity's: green to -12, yellow to -6. */
export function LevelMeter({ peakDbfs, label }: { peakDbfs: number | null; label: string }) {
  const floor = -60;
  const level = peakDbfs === null ? floor : Math.max(floor, Math.min(0, peakDbfs));
  const pct = ((level - floor) / -floor) * 100;
  return (
    <div class="meter" role="meter" aria-label={label} aria-valuemin={floor} aria-valuemax={0} aria-valuenow={Math.round(level)} data-testid="level-meter" data-level={level.toFixed(1)}>
      <div class="meter-fill" style={{ width: `${pct}%` }} />
      <div class="meter-mark" style={{ left: `${((-12 - floor) / -floor) * 100}%` }} />
      <div class="meter-mark" style={{ left: `${((-6 - floor) / -floor) * 100}%` }} />
      <span class="meter-text">{peakDbfs === null || peakDbfs <= floor ? "—" : `${peakDbfs.toFixed(0)} dBFS`}</span>
    </div>
  );
}

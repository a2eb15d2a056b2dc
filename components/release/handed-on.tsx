import type { HandedOnView } from "@/lib/data/promotion/view";
import { Section } from "@/components/ui/section";
import { ReleaseChecklist } from "./checklist";
import { ReleaseSecondFactorNote, type GuardedEnvironment } from "./second-factor-note";

// The release page's last section for a viewer who may not see where the release goes next:
// who takes it on is said without naming the stage they cannot see, and the checklists they do
// see that gate that step (QA's staging list before production) are theirs to work through.

export function ReleaseHandedOn({
  handedOn,
  secondFactor,
}: {
  handedOn: HandedOnView;
  /** the environments whose lists ask the viewer for a second factor, and when this session passed one */
  secondFactor?: { environments: GuardedEnvironment[]; verifiedAt: Date | null };
}) {
  const { stage, version, asOf } = handedOn;
  const said = stage
    ? `Promotion beyond ${stage.name} is handled by others.`
    : "Promotion of this release is handled by others.";
  return (
    <Section
      id="next"
      title={stage ? `After ${stage.name}` : "Next"}
      description={
        handedOn.checklists.length > 0 ? `${said} What you see of what ${version} waits for before it moves on:` : said
      }
    >
      {handedOn.checklists.length > 0 ? (
        <div className="space-y-6">
          {secondFactor ? (
            <ReleaseSecondFactorNote
              environments={secondFactor.environments}
              verifiedAt={secondFactor.verifiedAt}
              now={asOf}
            />
          ) : null}
          {handedOn.checklists.map((checklist) => (
            <ReleaseChecklist
              key={checklist.key}
              releaseId={handedOn.releaseId}
              environment={checklist}
              items={handedOn.checklist.filter((item) => item.environmentKey === checklist.key)}
              mayTick={checklist.mayTick}
              now={asOf}
            />
          ))}
        </div>
      ) : null}
    </Section>
  );
}

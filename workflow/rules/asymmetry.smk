# MP20 with populations (config section asymmetric_onset): the rhythm onset of a rhythms entry
# for several resets of one population, with and without the κ term, and the network's rhythm
# amplitude in a sweep against both mean fields.

ASYM_ONSET = canonical(config.get("asymmetric_onset", {}))

# each entry's rhythm, population and sweep, checked once (one line naming the key)
for _name, _entry in ASYM_ONSET.items():
    try:
        if _entry["rhythm"] not in RHYTHMS:
            raise ValueError(f"rhythm: unknown rhythms entry {_entry['rhythm']!r}")
        from qifgap.populations import Model

        Model.from_dict(RHYTHMS[_entry["rhythm"]]["model"]).index(_entry["population"])
        if _entry["sweep"] not in SWEEPS:
            raise ValueError(f"sweep: unknown sweep {_entry['sweep']!r}")
    except ValueError as exc:
        sys.stderr.write(f"config error: asymmetric_onset.{_name}: {exc}\n")
        sys.exit(1)


wildcard_constraints:
    asym=r"[A-Za-z0-9_-]+",


# Hopf onset of the rhythm entry's parameter per reset, with κ (corrected) and without (P19).
rule bifurcation_asymmetric_onset:
    output:
        table=f"{RESULTS}/bifurcation/asymmetric_onset/{{asym}}.csv",
    params:
        entry=lambda wildcards: ASYM_ONSET[wildcards.asym],
        rhythm=lambda wildcards: RHYTHMS[ASYM_ONSET[wildcards.asym]["rhythm"]],
        code=script_code("bifurcation_asymmetric_onset"),
    log:
        f"{LOGS}/bifurcation_asymmetric_onset/{{asym}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/bifurcation_asymmetric_onset.py"


# Rhythm amplitude of each network run of the sweep against the corrected and the P19 mean
# field, and the onsets extrapolated from each (amplitude² linear in the parameter).
rule compare_asymmetric_onset:
    input:
        networks=lambda wildcards: sweep_files("network", ASYM_ONSET[wildcards.asym]["sweep"]),
    output:
        runs=f"{RESULTS}/compare/asymmetric_onset/{{asym}}_runs.tsv",
        onsets=f"{RESULTS}/compare/asymmetric_onset/{{asym}}_onsets.tsv",
    params:
        entry=lambda wildcards: ASYM_ONSET[wildcards.asym],
        rhythm=lambda wildcards: RHYTHMS[ASYM_ONSET[wildcards.asym]["rhythm"]],
        runs=asym_runs,
        code=script_code("compare_asymmetric_onset"),
    log:
        f"{LOGS}/compare_asymmetric_onset/{{asym}}.log",
    conda:
        "../../envs/qifgap.yaml"
    script:
        "../scripts/compare_asymmetric_onset.py"

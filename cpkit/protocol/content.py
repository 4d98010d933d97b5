"""The Working Protocol's content as data, in the protocol's own words.

Source: "Working Protocol: Inter-Sectorial Collaboration in Child Protection Cases"
(Kosovo), kept as text in ``reference/working-protocol-inter-sectorial-collaboration.txt``.
Tables flattened by the PDF extraction have been reconstructed; wording is kept, only
obvious typos and words cut off by the extraction are repaired (noted where it matters).

Conventions:

- Keys are lowercase snake_case and match ``case-format.md`` wherever it defines them.
- Every user-facing English string is wrapped in ``N_()`` so Babel extracts it; it is
  translated where it is shown (``cpkit.i18n.gettext``), never here.
- Choices a form can store are ``{"key", "label"}`` items (or ``key -> label`` dicts);
  guidance the kit only displays is a plain list of sentences.
- Item keys of manifestations, signs, risk influences and milestones are unique across
  all of them: ``<category>_<slug>`` for manifestations, ``<category>_<kind>_<slug>`` for
  signs, ``nature_`` / ``vulnerability_`` / ``protective_`` + slug for influences and
  ``<band>_<slug>`` for milestones.

This module is data only: it imports nothing but ``N_``.
"""

# The protocol writes en dashes; they are kept in the text.
# ruff: noqa: RUF001, RUF003

from cpkit.i18n import N_

# ---------------------------------------------------------------------------
# Risk levels ("Risk Levels")
# ---------------------------------------------------------------------------

RISK_LEVELS = {
    "low": {
        "label": N_("Low risk"),
        "definition": N_(
            "The home is safe for children. However, there are concerns about the potential "
            "for a child to be at risk if services are not provided to prevent the need for "
            "protective intervention."
        ),
    },
    "medium": {
        "label": N_("Medium risk"),
        "definition": N_(
            "A child is likely to suffer some degree of harm if he or she remains in the home "
            "without an effective protective intervention plan. Intervention is warranted. "
            "However, there is no evidence that the child is at risk of imminent serious "
            "injury or death."
        ),
    },
    "high": {
        "label": N_("High risk"),
        "definition": N_(
            "A child is likely to be seriously harmed or injured, subjected to immediate and "
            "ongoing sexual abuse, or be permanently disabled, trafficked or die if left in "
            "his/her present circumstances without protective intervention."
        ),
    },
}

# Every value a level field can hold: the three levels, ``not_known`` (only for
# ``abuse_history``, counted as high) and ``none`` (a CMR's ``agreed_risk_level``).
LEVEL_LABELS = {
    "none": N_("No risk"),
    "low": N_("Low risk"),
    "medium": N_("Medium risk"),
    "high": N_("High risk"),
    "not_known": N_("Not known"),
}

# ---------------------------------------------------------------------------
# Risk Analysis Framework
# ---------------------------------------------------------------------------

RISK_FRAMEWORK_NOTES = [
    N_("The overall level of risk should be the highest indicated from the table."),
    N_(
        "Unaccompanied children are always considered as high risk cases until safe "
        "accommodation is secured for them and appropriate ongoing support is made available."
    ),
    N_(
        "Once the child's situation has been thoroughly assessed, the different sources of "
        "risk must be identified, and addressed in the Care Plan."
    ),
]

# In the protocol's order.  Labels follow the row names as listed in case-format.md.
RISK_FACTORS = [
    {
        "key": "child_age_capacity",
        "label": N_("Child age and protective capacity"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_(
                "Child is over 10; child does not need or only very minimally needs the care "
                "and support of an adult in order to protect himself (for example by being "
                "able to recognise and avoid situations of risk). No physical or developmental "
                "disabilities"
            ),
            "medium": N_(
                "Child age 5-9; child of any age who needs the assistance of an adult in order "
                "to protect or care for himself; introverted child; has light illness, "
                "cognitive/physical disorder; has low or medium level developmental disability"
            ),
            "high": N_(
                "Child is 5 or under; a child of any age who is entirely dependent on an adult "
                "for care and protection; a child with severe illness, cognitive disability or "
                "severe developmental disability. Child with severe behavioural problems."
            ),
        },
    },
    {
        "key": "abuse_severity",
        "label": N_("Severity of physical / sexual abuse"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_(
                "No harm or only light harm; no need to receive medical treatment; no "
                "detectible impact on the child; isolated incident"
            ),
            "medium": N_(
                "Mild physical injury or unexplained injuries; needs medical care or diagnoses; "
                "there is a history of severe discipline, non-contact sexual abuse"
            ),
            "high": N_(
                "Needs to go to the hospital or stay in the hospital; family has a history of "
                "extreme discipline or there is a history of the sexual harassment; sexual "
                "contact between adult and child"
            ),
        },
    },
    {
        "key": "site_of_injury",
        "label": N_("Site of injury"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_("Knees, hands or buttocks"),
            "medium": N_("Torso"),
            "high": N_("Head, face, or reproductive organs"),
        },
    },
    {
        "key": "neglect_severity",
        "label": N_("Severity of any neglect"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_("No detectible impact on the child; isolated incident"),
            "medium": N_(
                "Concern that the caregiver cannot meet the child's most basic medical, "
                "nutrition or shelter needs even if they have the resources to do so; "
                "occasionally leaves child unsupervised"
            ),
            "high": N_(
                "Caregiver is not willing to supply the child with medical/nutritional or "
                "shelter needs; child frequently left unsupervised (the extent of this depends "
                "on the age of the child)"
            ),
        },
    },
    {
        "key": "abuse_history",
        "label": N_("History of previous abuse/neglect"),
        # The protocol lists "Not known" first among the high risk descriptors.
        "allows_not_known": True,
        "descriptors": {
            "low": N_("No history of abuse or neglect"),
            "medium": N_("Previous reports of concern; protective services received in the past"),
            "high": N_(
                "Not known; previous reports of numerous or severe abuse; previous abuse with "
                "no protective services received"
            ),
        },
    },
    {
        "key": "abuser_access",
        "label": N_("Opportunity of abuser to contact the child"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_("None - left the home / area and cannot contact the child"),
            "medium": N_(
                "The abuser is still in the home / area but there is another adult present who "
                "can protect the child, and the child is not left alone"
            ),
            "high": N_(
                "The abuser lives in the home / is present in the area, and can have access to "
                "the child easily; no ability to confirm whether or not other adults have the "
                "ability to protect the child"
            ),
        },
    },
    {
        "key": "caregiver_capacity",
        "label": N_("Caregivers' physical, emotional capacity and parenting skills"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_(
                "No intellectual or physical impairment; reasonable expectations of the child; "
                "full ability to control his/her own emotions/behaviours; adequate parenting "
                "skills and recognises their responsibility"
            ),
            "medium": N_(
                "Some level of disability; some cognitive limitations; mental health problems, "
                "it takes planning and support care for child; quality of care inconsistent or "
                "very low; use of substances (e.g. drug and alcohol) occasionally interferes "
                "with parenting ability"
            ),
            "high": N_(
                "Severe disability / cognitive impairment; unrealistic expectations or "
                "perceptions about the child's behaviour; low / no parenting skills; substance "
                "abuse which frequently compromises parenting ability"
            ),
        },
    },
    {
        "key": "other_carers",
        "label": N_("Availability of other carers"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_(
                "Someone ready and able to take on the main caregiving role and who is able to "
                "offer support and stability"
            ),
            "medium": N_(
                "Someone in the family can take the role of main caregiver but they may not "
                "always be at home, or can only take part in meeting the most basic care "
                "requirements of the child or need additional support"
            ),
            "high": N_(
                "No other suitable adult to care for child – either because lacks will / "
                "ability or may be a danger"
            ),
        },
    },
    {
        "key": "support_systems",
        "label": N_("Family / community support systems"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_(
                "Family members, neighbours or friends promise to provide support to the child; "
                "the family is involved in community activities"
            ),
            "medium": N_(
                "Family members, neighbours or friends can provide some support but this is limited"
            ),
            "high": N_(
                "No family or community support; family and friends contribute to the problem; "
                "family lives in a remote area and are isolated; the family has no telephone "
                "or communication tools"
            ),
        },
    },
    {
        "key": "living_environment",
        "label": N_("Family living environment"),
        "allows_not_known": False,
        "descriptors": {
            "low": N_("The home is clean and there are no / few safety or health hazards"),
            "medium": N_(
                "There is garbage and other unclean materials; no water / power; The family "
                "lives in temporary / unstable accommodation."
            ),
            "high": N_("The family lives in a remote place or in unsuitable housing"),
        },
    },
    {
        # The protocol prints this row twice; this is the second, fuller version (with
        # exploitation, trafficking and child marriage).
        "key": "family_stress",
        "label": N_(
            "Family stress / other risk factors (including exploitation, trafficking, "
            "child marriage)"
        ),
        "allows_not_known": False,
        "descriptors": {
            "low": N_(
                "Stable family, job, and income; close relationship with relatives / community "
                "living in the vicinity"
            ),
            "medium": N_(
                "Pregnancy or a new-born baby; there is not enough income or food available; "
                "the family lacks skills for household management; there is conflict in "
                "relationships with relatives; child at risk of exploitation, including "
                "domestic labour, trafficking and child marriage."
            ),
            "high": N_(
                "Spouse has deceased / left or there is recent change in marital status; "
                "marital conflict; domestic violence; child exploited, including domestic "
                "labour, or trafficked or married."
            ),
        },
    },
]

# Age bands for suggesting ``child_age_capacity`` from the child's age (a suggestion
# only: the descriptors also weigh dependency, illness and disability).  From the
# descriptors "Child is 5 or under" (high), "Child age 5-9" (medium) and "Child is over
# 10" (low).  The protocol's bands overlap at 5 and leave 10 open: 5 is read as high
# and 10 as low.  Checked in order; the first band whose limit is not exceeded applies.
AGE_CAPACITY_BANDS = [
    {"max_age_inclusive": 5, "level": "high"},
    {"max_age_inclusive": 9, "level": "medium"},
    {"max_age_inclusive": None, "level": "low"},
]

# "Factors influencing level of risk" (the three columns were interleaved by the
# extraction; items split across lines are joined again).
RISK_INFLUENCES = {
    "nature_of_risk": {
        "label": N_("Nature of Risk"),
        "items": [
            {
                "key": "nature_parental_substance_abuse",
                "label": N_("Parental substance and alcohol abuse"),
            },
            {"key": "nature_domestic_abuse", "label": N_("Domestic abuse")},
            {
                "key": "nature_known_offenders",
                "label": N_("Known or suspected sex offenders, drug dealers, traffickers"),
            },
            {"key": "nature_known_neglect", "label": N_("Known or suspected neglect")},
            {"key": "nature_mental_illness", "label": N_("Mental illness")},
            {
                "key": "nature_economic_social_misadventure",
                "label": N_("Economic or social misadventure"),
            },
            {
                "key": "nature_parental_hostility",
                "label": N_("Hostility and or lack of cooperation from parent"),
            },
            {
                "key": "nature_history_of_concerns",
                "label": N_("History of concerns or little or no change of situation"),
            },
            {
                "key": "nature_child_needs_not_prioritised",
                "label": N_("Family not prioritising child's needs"),
            },
        ],
    },
    "vulnerabilities": {
        "label": N_("Vulnerabilities"),
        "items": [
            {"key": "vulnerability_age", "label": N_("Age")},
            {"key": "vulnerability_born_premature", "label": N_("Born premature")},
            {
                "key": "vulnerability_learning_difficulties",
                "label": N_("Learning difficulties, disabilities"),
            },
            {"key": "vulnerability_physical_disabilities", "label": N_("Physical disabilities")},
            {"key": "vulnerability_isolation", "label": N_("Isolation")},
            {
                "key": "vulnerability_communication_difficulties",
                "label": N_("Communication difficulties"),
            },
            {"key": "vulnerability_running_away", "label": N_("Running away from home")},
            {"key": "vulnerability_conduct_disorders", "label": N_("Conduct disorders")},
            {"key": "vulnerability_mental_health", "label": N_("Mental health problems")},
            {"key": "vulnerability_substance_abuse", "label": N_("Substance abuse")},
            {"key": "vulnerability_self_harm", "label": N_("Self-harm")},
        ],
    },
    "protective_influences": {
        "label": N_("Protective Influences"),
        "items": [
            {"key": "protective_emotional_maturity", "label": N_("Emotional maturity")},
            {"key": "protective_moral_development", "label": N_("Mature moral development")},
            {
                "key": "protective_safety_skills",
                "label": N_("Evidenced personal safety skills"),
            },
            {"key": "protective_self_esteem", "label": N_("Strong self esteem")},
            {
                "key": "protective_resilience_attachment",
                "label": N_("Evidenced resilience and strong attachment"),
            },
            {
                "key": "protective_adults_peers",
                "label": N_("Protective adults and or identified peers"),
            },
            {
                "key": "protective_parental_capacity",
                "label": N_(
                    "Demonstrable capacity by parents and the sustained acceptance of the need "
                    "to change to protect the child"
                ),
            },
            {"key": "protective_social_networks", "label": N_("Strong social networks")},
        ],
    },
}

# ---------------------------------------------------------------------------
# Categories of abuse, manifestations (Appendix 2) and signs (Appendix 3)
# ---------------------------------------------------------------------------

SIGN_KINDS = {
    "physical": N_("Physical indicators"),
    "behavioural": N_("Behavioural indicators"),
    "caretaker": N_("Behaviour / attitude of the care taker"),
}

SEXUAL_ABUSE_GROUPS = {
    "contact": N_("Contact"),
    "non_contact": N_("Non-contact"),
}

SEXUAL_MANIFESTATIONS_INTRO = N_(
    "Involvement of a child in a sexual activity that s/he does not fully comprehend, is "
    "unable to give informed consent to, or is not developmentally prepared for, such as"
)

# Appendix 3 was flattened: the items of each cell run together in one line or the cell's
# heading lands among its items.  Items are split again, keep the source's grouping, and
# words cut off at the cell edge are completed ("inflicted", "understanding", "do
# everything wrong", "not controlled", "in the family", "those of the child", "as a child").
ABUSE_CATEGORIES = {
    "physical": {
        "label": N_("Physical abuse"),
        "definition": N_(
            "This may involve hitting, shaking, throwing, burning or scalding, drowning, "
            "suffocating, or otherwise causing physical harm to a child. Physical harm may "
            "also be caused when a parent or carer feigns the symptoms of, or deliberately "
            "causes, ill health to a child who they are looking after."
        ),
        "manifestations": [
            {"key": "physical_smacking", "label": N_("Smacking")},
            {"key": "physical_punching_beating", "label": N_("Punching/beating")},
            {"key": "physical_burning", "label": N_("Burning (e.g. with cigarette)")},
            {"key": "physical_biting", "label": N_("Biting")},
            {"key": "physical_pulling_hair", "label": N_("Pulling hair")},
            {"key": "physical_hitting_with_object", "label": N_("Hitting a child with an object")},
            {
                "key": "physical_uncomfortable_posture",
                "label": N_(
                    "Leave a child in uncomfortable posture or environment for an extended "
                    "period of time"
                ),
            },
            {
                "key": "physical_forced_work",
                "label": N_(
                    "Force a child to work in poor working conditions, or inappropriate for a "
                    "child's age"
                ),
            },
            {
                "key": "physical_harmful_initiation",
                "label": N_("Harmful initiation ceremonies to someone new"),
            },
            {"key": "physical_bullying", "label": N_("Bullying (can also be emotional)")},
        ],
        "signs": {
            "physical": [
                {
                    "key": "physical_physical_suspicious_bruises",
                    "label": N_(
                        "Suspicious bruises or marks especially on parts of the body not easily "
                        "injured through normal play; noticed after a child has not been seen "
                        "or after the weekend"
                    ),
                },
                # Source: "Scolds and burns from hot water".
                {
                    "key": "physical_physical_scalds",
                    "label": N_("Scalds and burns from hot water"),
                },
                {
                    "key": "physical_physical_cigarette_burns",
                    "label": N_(
                        "Burns from cigarettes, especially on the tongue, palm, arms, legs, "
                        "back or backside."
                    ),
                },
                {
                    "key": "physical_physical_shaped_burns",
                    "label": N_(
                        "Burns that resemble shapes of objects e.g. electrical elements, light "
                        "bulbs, irons, electric fires"
                    ),
                },
                {
                    "key": "physical_physical_fractures",
                    "label": N_("Unexplained / multiple fractures, broken bones or sprains"),
                },
                {
                    "key": "physical_physical_immobile_baby_fractures",
                    "label": N_("Babies who are not mobile with fractures"),
                },
                {
                    "key": "physical_physical_lacerations",
                    "label": N_(
                        "Unexplained scratches or lacerations in or around the: mouth, lips, "
                        "eyes, ears, neck or genital organs"
                    ),
                },
                {
                    "key": "physical_physical_abdominal_injuries",
                    "label": N_(
                        "Unexplained abdominal injuries such as swelling, vomiting or blood in "
                        "faeces or urine"
                    ),
                },
            ],
            "behavioural": [
                {
                    "key": "physical_behavioural_deserves_punishment",
                    "label": N_("Child believes he/she deserves to be punished"),
                },
                {
                    "key": "physical_behavioural_watchful",
                    "label": N_("Careful and watchful in the company of adults"),
                },
                {
                    "key": "physical_behavioural_extremes",
                    "label": N_("Extremes of behaviour - aggressive or withdrawn"),
                },
                {
                    "key": "physical_behavioural_sudden_changes",
                    "label": N_("Sudden changes in behaviour"),
                },
                {"key": "physical_behavioural_scared_to_go_home", "label": N_("Scared to go home")},
                {"key": "physical_behavioural_frozen_look", "label": N_("Empty or frozen look")},
                {
                    "key": "physical_behavioural_lacks_interaction",
                    "label": N_("Lacks interaction (for babies)"),
                },
                {"key": "physical_behavioural_low_self_esteem", "label": N_("Low self esteem")},
                {
                    "key": "physical_behavioural_reports_harm",
                    "label": N_("Reports being harmed by his/her parent(s)"),
                },
            ],
            "caretaker": [
                {
                    "key": "physical_caretaker_unconcerned",
                    "label": N_("Does not seem concerned about the injuries"),
                },
                {
                    "key": "physical_caretaker_false_explanation",
                    "label": N_("Provides false information on how the wounds were inflicted"),
                },
                {
                    "key": "physical_caretaker_harsh_discipline",
                    "label": N_(
                        "Uses a harsh discipline for the misbehaved child and inappropriately to "
                        "the age and child's level of understanding"
                    ),
                },
                {
                    "key": "physical_caretaker_unrealistic_expectations",
                    "label": N_("Has unrealistic expectations about the child"),
                },
                {
                    "key": "physical_caretaker_negative_perceptions",
                    "label": N_(
                        "Has negative perceptions about child, considers that they do "
                        "everything wrong"
                    ),
                },
                {
                    "key": "physical_caretaker_mental_health",
                    "label": N_("He/she has severe mental health problem that is not controlled"),
                },
                {
                    "key": "physical_caretaker_not_stable",
                    "label": N_("Not emotionally stable"),
                },
                {
                    "key": "physical_caretaker_substance_misuse",
                    "label": N_("Misuses alcohol and other substances"),
                },
                {
                    "key": "physical_caretaker_abused_as_child",
                    "label": N_("Confesses to have been abused when a child"),
                },
            ],
        },
    },
    "sexual": {
        "label": N_("Sexual abuse"),
        "definition": N_(
            "Involves forcing or enticing a child to take part in sexual activities, whether or "
            "not the child is aware of what is happening or gives consent. The activities may "
            "involve physical contact, including penetrative (e.g., rape) or non-penetrative "
            "acts. They may also include non-contact activities, such as involving children in "
            "looking at, or in the production of, pornographic materials or watching sexual "
            "activities, or encouraging children to behave in sexually inappropriate ways."
        ),
        "manifestations": [
            {
                "key": "sexual_kissed_held",
                "label": N_("Kissed or held in a sexual manner"),
                "group": "contact",
            },
            {
                "key": "sexual_touched_fondled",
                "label": N_("Touched and fondled in genital areas"),
                "group": "contact",
            },
            {
                "key": "sexual_forced_to_touch",
                "label": N_("Forced to touch another person's genital areas"),
                "group": "contact",
            },
            {
                "key": "sexual_forced_oral_sex",
                "label": N_("Forced to perform oral sex"),
                "group": "contact",
            },
            {
                "key": "sexual_intercourse",
                "label": N_("Vaginal or anal intercourse"),
                "group": "contact",
            },
            {
                "key": "sexual_penetration",
                "label": N_("Vaginal or anal penetration with object or finger"),
                "group": "contact",
            },
            {"key": "sexual_incest", "label": N_("Incest"), "group": "contact"},
            {"key": "sexual_animals", "label": N_("Sex with animals"), "group": "contact"},
            {
                "key": "sexual_obscene_remarks",
                "label": N_("Obscene calls/obscene remarks on computer or in written notes"),
                "group": "non_contact",
            },
            {"key": "sexual_virtual_sex", "label": N_("Virtual sex"), "group": "non_contact"},
            {
                "key": "sexual_online_solicitation",
                "label": N_("Online sexual solicitation"),
                "group": "non_contact",
            },
            {"key": "sexual_voyeurism", "label": N_("Voyeurism"), "group": "non_contact"},
            {
                "key": "sexual_pornography",
                "label": N_("Exposed to or photographed for pornography"),
                "group": "non_contact",
            },
            {
                "key": "sexual_intrusive_questions",
                "label": N_("Sexually intrusive questions or comments"),
                "group": "non_contact",
            },
            {
                "key": "sexual_forced_masturbation",
                "label": N_("Forced to self-masturbate or watch others masturbate"),
                "group": "non_contact",
            },
            {
                "key": "sexual_indecent_exposure",
                "label": N_("Indecent exposure"),
                "group": "non_contact",
            },
        ],
        "signs": {
            # "Sexualized play" and "Lack of sexual inhibitions towards adults" stand among
            # the physical indicators in the source; they are kept there.
            "physical": [
                {
                    "key": "sexual_physical_walking_sitting",
                    "label": N_("Difficulties in walking or sitting still"),
                },
                {"key": "sexual_physical_pregnancy", "label": N_("Pregnancy")},
                {
                    "key": "sexual_physical_masturbation",
                    "label": N_("Masturbation (in young children)"),
                },
                {
                    "key": "sexual_physical_painful_urination",
                    "label": N_("Pain on urination or defecation"),
                },
                {
                    "key": "sexual_physical_genital_injuries",
                    "label": N_(
                        "Bruises, bleeding or tears to the genital organs, the vagina or anus"
                    ),
                },
                {
                    "key": "sexual_physical_oral_infections",
                    "label": N_("Oral infections in children"),
                },
                {
                    "key": "sexual_physical_std",
                    "label": N_("Sexually transmitted diseases in children and adolescents"),
                },
                {"key": "sexual_physical_sexualized_play", "label": N_("Sexualized play")},
                {
                    "key": "sexual_physical_lack_of_inhibitions",
                    "label": N_("Lack of sexual inhibitions towards adults"),
                },
                {
                    "key": "sexual_physical_wetting_soiling",
                    "label": N_(
                        "Return of wetting and soiling after the child has gained control of "
                        "these bodily functions"
                    ),
                },
            ],
            "behavioural": [
                {
                    "key": "sexual_behavioural_withdrawn_affectionate",
                    "label": N_("Withdrawn or overtly affectionate to adults and/or strangers"),
                },
                {
                    "key": "sexual_behavioural_inappropriate_sexual",
                    "label": N_("Inappropriate sexual behaviour and knowledge"),
                },
                {
                    "key": "sexual_behavioural_poor_peer_relations",
                    "label": N_("Poor relationships with peers"),
                },
                {"key": "sexual_behavioural_runs_away", "label": N_("Frequently runs away")},
                {"key": "sexual_behavioural_self_harm", "label": N_("Self-harms")},
                {
                    "key": "sexual_behavioural_substance_abuse",
                    "label": N_("Abuses alcohol or drugs"),
                },
                {
                    "key": "sexual_behavioural_school_change",
                    "label": N_(
                        "Dramatic change in school performance; school grades fail, unjustified "
                        "absences (if attending school)"
                    ),
                },
                {"key": "sexual_behavioural_depressed", "label": N_("Depressed")},
                {
                    "key": "sexual_behavioural_suicide_attempts",
                    "label": N_("Attempts to commit suicide"),
                },
                {
                    "key": "sexual_behavioural_sleep",
                    "label": N_(
                        "Poor or disturbed sleeping patterns, including: bad dreams, "
                        "nightmares, sleeplessness"
                    ),
                },
                {
                    "key": "sexual_behavioural_eating_disorders",
                    "label": N_("Eating disorders, bulimia, anorexia"),
                },
                {"key": "sexual_behavioural_low_self_esteem", "label": N_("Low self esteem")},
                {"key": "sexual_behavioural_lack_of_trust", "label": N_("Lack of trust in others")},
                {
                    "key": "sexual_behavioural_reports_abuse",
                    "label": N_("Reports that he/she has been sexually interfered with"),
                },
                {
                    "key": "sexual_behavioural_confused_boundaries",
                    "label": N_(
                        "Confused boundaries between appropriate behaviour of a child and/or adult"
                    ),
                },
            ],
            "caretaker": [
                {
                    "key": "sexual_caretaker_favours_child",
                    "label": N_(
                        "Parent/adult continuously gives presents to one child in the family"
                    ),
                },
                {
                    "key": "sexual_caretaker_substance_abuse",
                    "label": N_("Parent/adult suffers from alcohol or narcotic abuse"),
                },
                {
                    "key": "sexual_caretaker_blames_child",
                    "label": N_(
                        "Parent/adult does not accept responsibility for the abuse of the child "
                        "places blame onto the child and relates it to the child's behaviour"
                    ),
                },
                {
                    "key": "sexual_caretaker_poor_impulse_control",
                    "label": N_(
                        "Parent/adult has poor/limited control over their own impulses/desires"
                    ),
                },
                {"key": "sexual_caretaker_marital_problems", "label": N_("Marital problems")},
                {
                    "key": "sexual_caretaker_over_controls",
                    "label": N_(
                        "Over controls the child's movements, opportunities to speak with others "
                        "or mix with friends"
                    ),
                },
                {
                    "key": "sexual_caretaker_vague_boundaries",
                    "label": N_(
                        "Boundaries between adults and children are vague and frequently crossed"
                    ),
                },
                {
                    "key": "sexual_caretaker_abused_as_child",
                    "label": N_(
                        "Parent/adult has been sexually abused during his/her own childhood"
                    ),
                },
            ],
        },
    },
    "emotional": {
        "label": N_("Emotional abuse"),
        # The source's last sentence is cut off after "causing children frequently to
        # feel"; it is completed with the standard definition's "frightened or in danger".
        "definition": N_(
            "This is the persistent emotional ill-treatment of a child such as to cause severe "
            "and long lasting effects on the child's emotional development. It may involve "
            "conveying to children that they are worthless and unloved, inadequate, or valued "
            "only so far as they meet the needs of another person. It can also involve age or "
            "developmentally inappropriate expectations being imposed on children, or causing "
            "children frequently to feel frightened or in danger."
        ),
        "manifestations": [
            {"key": "emotional_isolating", "label": N_("Isolating or excluding")},
            {"key": "emotional_stigmatising", "label": N_("Stigmatising")},
            {
                "key": "emotional_no_supportive_environment",
                "label": N_("Failure to provide supportive environment"),
            },
            {
                "key": "emotional_needs_not_met",
                "label": N_("Main caregiver(s) does not respond to a child's emotional needs"),
            },
            {
                "key": "emotional_humiliation",
                "label": N_("Humiliation and persistent teasing (such as calling hurtful names)"),
            },
            {"key": "emotional_bullying", "label": N_("Bullying")},
            {
                "key": "emotional_scolding",
                "label": N_(
                    "Excessive, disproportionate scolding, shouting, bickering and possibly "
                    "swearing at a child"
                ),
            },
            {
                "key": "emotional_discriminating_comments",
                "label": N_("Making comments that show discrimination or humiliate a child"),
            },
            {"key": "emotional_rumours", "label": N_("Spreading rumours")},
            {"key": "emotional_threatening", "label": N_("Threatening")},
        ],
        # The extraction placed each heading part-way into its items; the groups are the
        # runs of items between headings (physical: speech ... nightmares).
        "signs": {
            "physical": [
                {
                    "key": "emotional_physical_speech",
                    "label": N_("Speech disorders or delayed speech"),
                },
                {
                    "key": "emotional_physical_delayed_development",
                    "label": N_("Delayed or stunted physical development / failure to thrive"),
                },
                {
                    "key": "emotional_physical_hyperactive",
                    "label": N_("Hyperactive behaviour; limited attention span"),
                },
                {
                    "key": "emotional_physical_withdrawn",
                    "label": N_("Withdrawn, anxious, isolated"),
                },
                {
                    "key": "emotional_physical_no_eye_contact",
                    "label": N_("Does not make eye contact"),
                },
                {
                    "key": "emotional_physical_frozen_face",
                    "label": N_("Empty or frozen facial appearance"),
                },
                {
                    "key": "emotional_physical_lack_of_emotions",
                    "label": N_("Lack of emotions or mixed emotions"),
                },
                {
                    "key": "emotional_physical_seeks_attention",
                    "label": N_("Seeks attention from anyone / needs constant approval"),
                },
                {
                    "key": "emotional_physical_picks_skin",
                    "label": N_("Picks at own skin until it is sore or bleeds"),
                },
                {"key": "emotional_physical_soiling_wetting", "label": N_("Soiling or wetting")},
                {"key": "emotional_physical_nightmares", "label": N_("Nightmares")},
            ],
            "behavioural": [
                {
                    "key": "emotional_behavioural_sleeping_eating",
                    "label": N_("Sleeping & eating disorders"),
                },
                {
                    "key": "emotional_behavioural_fears",
                    "label": N_("Unusual fears and anxieties"),
                },
                {
                    "key": "emotional_behavioural_obedient_passive",
                    "label": N_("Extremely obedient or passive"),
                },
                {"key": "emotional_behavioural_aggressive", "label": N_("Aggressive")},
                {
                    "key": "emotional_behavioural_clingy",
                    "label": N_("Clingy or does not allow others to get close to him/her"),
                },
                {"key": "emotional_behavioural_introvert", "label": N_("Introvert")},
                {
                    "key": "emotional_behavioural_feels_unloved",
                    "label": N_("Believes others do not like/love him/her"),
                },
                {
                    "key": "emotional_behavioural_negative_self_talk",
                    "label": N_(
                        "Makes negative comments about him/herself and his/her behaviour "
                        '("I never do things right")'
                    ),
                },
                {"key": "emotional_behavioural_lack_of_trust", "label": N_("Lack of trust")},
                {
                    "key": "emotional_behavioural_deserves_punishment",
                    "label": N_("Believes he/she should be punished"),
                },
                {
                    "key": "emotional_behavioural_suicidal",
                    "label": N_("Attempts suicide or has suicidal thoughts"),
                },
            ],
            "caretaker": [
                {
                    "key": "emotional_caretaker_denigrates",
                    "label": N_("Blames/teases and denigrates the child"),
                },
                {
                    "key": "emotional_caretaker_cold",
                    "label": N_(
                        "Is cold and distant and does not show the child affection or warmth"
                    ),
                },
                {
                    "key": "emotional_caretaker_no_positive_attitude",
                    "label": N_("Doesn't show a positive attitude or behaviour towards the child"),
                },
                {
                    "key": "emotional_caretaker_negative_descriptions",
                    "label": N_(
                        "Provides negative descriptions or explanations about the child's behaviour"
                    ),
                },
                {
                    "key": "emotional_caretaker_unequal_treatment",
                    "label": N_("Treats the children in the family unequally"),
                },
                {
                    "key": "emotional_caretaker_minimises_problems",
                    "label": N_("Is not interested in the child's problems or minimizes them"),
                },
                {
                    "key": "emotional_caretaker_substance_dependency",
                    "label": N_("Has alcohol or substance dependency"),
                },
                {
                    "key": "emotional_caretaker_cannot_show_affection",
                    "label": N_(
                        "Parent/adult admits that they do not know how to show positive "
                        "affection to the child"
                    ),
                },
                {
                    "key": "emotional_caretaker_abusive_relationship",
                    "label": N_("Parent/adult is in an abusive relationship"),
                },
                {
                    "key": "emotional_caretaker_needs_unmet",
                    "label": N_(
                        "Unable to meet the child's need or respond to them consistently or "
                        "appropriately"
                    ),
                },
                {
                    "key": "emotional_caretaker_own_needs_first",
                    "label": N_("Parent/adult puts his/her needs/desires above those of the child"),
                },
                {
                    "key": "emotional_caretaker_harsh_answers",
                    "label": N_("Gives harsh and/or destructive answers to the child's requests"),
                },
                {
                    "key": "emotional_caretaker_threatens_scares",
                    "label": N_("Threatens and scares the child"),
                },
                {
                    "key": "emotional_caretaker_threatens_sending_away",
                    "label": N_(
                        "Threatens the child with sending him/her away or with severe punishments"
                    ),
                },
                {
                    "key": "emotional_caretaker_unaware_of_needs",
                    "label": N_(
                        "Is not aware of the basic needs of the child or believes the child can "
                        "meet his/her own needs by him/herself"
                    ),
                },
                {
                    "key": "emotional_caretaker_blames_child_for_reactions",
                    "label": N_(
                        "Believes the child is responsible for the negative reactions of the "
                        "parent/adult"
                    ),
                },
                {
                    "key": "emotional_caretaker_inconsistent",
                    "label": N_(
                        "Impulsive unable to be consistent in his/her responses to the child"
                    ),
                },
                {
                    "key": "emotional_caretaker_blames_child_for_problems",
                    "label": N_("Blames the child for his/her problems"),
                },
                {
                    "key": "emotional_caretaker_out_of_control",
                    "label": N_("Feels out of control, has no support networks or coping skills"),
                },
            ],
        },
    },
    "neglect": {
        "label": N_("Neglect"),
        "definition": N_(
            "This is the persistent failure to meet the child's basic physical and/ or "
            "psychological needs, where the parent / carer has the capacity to do so, likely "
            "to result in the serious impairment of the child's physical or cognitive "
            "development. Neglect does not include situations of poverty, where a "
            "parent/caregiver cannot afford to provide for their child but is trying to do so."
        ),
        "manifestations": [
            {
                "key": "neglect_omission_of_care",
                "label": N_("Inattention/omission of care despite available resources"),
            },
            {
                "key": "neglect_failure_to_supervise",
                "label": N_("Failure to supervise and protect children from harm"),
            },
        ],
        "signs": {
            "physical": [
                {
                    "key": "neglect_physical_underweight",
                    "label": N_(
                        "Underweight or short for his/her age and stage of development "
                        "including delayed speech"
                    ),
                },
                {"key": "neglect_physical_failure_to_thrive", "label": N_("Failure to thrive")},
                {
                    "key": "neglect_physical_malnourished",
                    "label": N_("Malnourished or always hungry"),
                },
                {
                    "key": "neglect_physical_poor_hygiene",
                    "label": N_("Poor or a lack of daily hygiene, dirty, smelly"),
                },
                {
                    "key": "neglect_physical_inappropriately_dressed",
                    "label": N_(
                        "Inappropriately dressed for the weather, housing conditions or activity"
                    ),
                },
                {
                    "key": "neglect_physical_no_medical_care",
                    "label": N_("Lack of medical care and medication if required"),
                },
                {
                    "key": "neglect_physical_no_supervision",
                    "label": N_(
                        "Lack of supervision during play, around an open fire or wood stove, "
                        "near water etc."
                    ),
                },
                {
                    "key": "neglect_physical_no_boundaries",
                    "label": N_("Lack of boundaries, social rules or daily routines"),
                },
                {
                    "key": "neglect_physical_abandonment",
                    "label": N_("Abandonment / Unaccompanied"),
                },
                {"key": "neglect_physical_hard_labour", "label": N_("Hard labour")},
            ],
            "behavioural": [
                {
                    "key": "neglect_behavioural_steals_begs_food",
                    "label": N_("Steals or begs for food"),
                },
                {
                    "key": "neglect_behavioural_falls_asleep",
                    "label": N_("Often falls asleep during the day"),
                },
                {
                    "key": "neglect_behavioural_poor_attendance",
                    "label": N_("Limited or poor attendance; comes late and goes early"),
                },
                {"key": "neglect_behavioural_sad", "label": N_("Appears sad, alone or unhappy")},
                {
                    "key": "neglect_behavioural_friendships",
                    "label": N_("Difficulty in making and keeping friends"),
                },
                {
                    "key": "neglect_behavioural_reluctant_home_life",
                    "label": N_("Reluctant to talk about home life"),
                },
                {"key": "neglect_behavioural_problems", "label": N_("Behaviour problems")},
                {
                    "key": "neglect_behavioural_seeks_adults",
                    "label": N_("Seeks adult company or praise"),
                },
                {"key": "neglect_behavioural_law", "label": N_("In trouble with the law")},
                {"key": "neglect_behavioural_substance_use", "label": N_("Drug or alcohol use")},
                {
                    "key": "neglect_behavioural_needs_affection",
                    "label": N_("Inappropriate need for affection, clingy or touching"),
                },
                {
                    "key": "neglect_behavioural_adult_responsibilities",
                    "label": N_("Undertakes the responsibilities of adults"),
                },
                {"key": "neglect_behavioural_murmurs", "label": N_("Murmurs, moans or sings")},
                {
                    "key": "neglect_behavioural_hangs_around",
                    "label": N_("Hangs around school or other centres"),
                },
                {
                    "key": "neglect_behavioural_suicide",
                    "label": N_("Has thought or attempted suicide"),
                },
                {
                    "key": "neglect_behavioural_regressive",
                    "label": N_(
                        "Regressive behaviour, such as sucking his/her fingers, soiling, wetting"
                    ),
                },
            ],
            "caretaker": [
                {
                    "key": "neglect_caretaker_chronic_disease",
                    "label": N_("Parent/adult has a chronic disease or disability"),
                },
                {
                    "key": "neglect_caretaker_depressed",
                    "label": N_("Parent/adult is depressed or suicidal"),
                },
                {
                    "key": "neglect_caretaker_little_understanding",
                    "label": N_(
                        "Parent/adult shows little understanding of the needs of the child or "
                        "how he/she can meet them"
                    ),
                },
                {
                    "key": "neglect_caretaker_own_needs_first",
                    "label": N_("Puts his/her feelings and needs before that of the child"),
                },
                {
                    "key": "neglect_caretaker_neglected_as_child",
                    "label": N_(
                        "Parent/adult had a disruptive childhood or was neglected as a child"
                    ),
                },
                {
                    "key": "neglect_caretaker_mental_illness",
                    "label": N_("Suffers from a mental illness or mental disability"),
                },
                {
                    "key": "neglect_caretaker_substance_abuse",
                    "label": N_("Abuses alcohol or drugs"),
                },
            ],
        },
    },
}

OTHER_ABUSE_NOTE = N_(
    "Other types of abuse commonly recognised, such as commercial sexual exploitation, child "
    "labour, child marriage, trafficking etc., are complex manifestations of the combination "
    "of the above four categories."
)

# ---------------------------------------------------------------------------
# Wellbeing indicators
# ---------------------------------------------------------------------------

WELLBEING_INDICATORS = {
    "safety": {
        "label": N_("Safety"),
        "definition": N_(
            "Protected from abuse, neglect or harm at home, at school and in the community."
        ),
    },
    "health": {
        "label": N_("Health"),
        "definition": N_(
            "Having the highest attainable standards of physical and mental health, access to "
            "suitable healthcare, and support in learning to make healthy and safe choices."
        ),
    },
    "achievement": {
        "label": N_("Achievement"),
        "definition": N_(
            "Able to access education and be supported and guided in their learning and in the "
            "development of their skills, confidence and self-esteem at home, at school and in "
            "the community. This includes having opportunities to take part in activities such "
            "as play, recreation and sport which contribute to healthy growth and development, "
            "both at home and in the community."
        ),
    },
    "nurture": {
        "label": N_("Nurture"),
        "definition": N_(
            "Having a safe and caring place to live, in a family setting with additional help "
            "if needed or, where this is not possible, in a suitable care setting such as a "
            "shelter or institution."
        ),
    },
    "inclusion": {
        "label": N_("Inclusion"),
        "definition": N_(
            "Help to overcome social, educational, physical and economic inequalities and being "
            "accepted as part of the community in which they live and learn. This includes "
            "having opinions and views and taken into account."
        ),
    },
}

WELLBEING_STATUSES = {
    "met": N_("Met"),
    "partly_met": N_("Partly met"),
    "not_met": N_("Not met"),
    "not_assessed": N_("Not assessed"),
}

# ---------------------------------------------------------------------------
# Normal developmental milestones (Appendix 4)
# ---------------------------------------------------------------------------

MILESTONES_NOTE = N_(
    "While every child is an individual and will develop at slightly different ages, most "
    "children normally achieve certain key developmental stages at similar ages. These are "
    "often called developmental milestones. Although the failure to meet developmental "
    "milestones is not necessarily a concern, if the milestone is severely delayed (by "
    "several months) or where multiple milestones are missed, it may indicate there is cause "
    "for concern — either because the child has special needs and needs additional support, "
    "or because they are being abused / neglected and the failure to meet the developmental "
    "milestone is a symptom."
)

# Ages in whole years: a band covers min_age <= age < max_age.
MILESTONE_BANDS = [
    {
        "key": "infancy",
        # The source heading of this first band is illegible in the extraction; the label
        # is ours, from the band's milestones and the next band starting at 3 years.
        "label": N_("Infancy and toddlerhood 0 – 2 years"),
        "min_age": 0,
        "max_age": 3,
        "milestones": [
            {"key": "infancy_social_smile", "label": N_("Displays social smile")},
            {"key": "infancy_rolls_over", "label": N_("Rolls over by self")},
            {"key": "infancy_sits_alone", "label": N_("Able to sit alone, without support")},
            {"key": "infancy_babbling", "label": N_("Babbling")},
            {"key": "infancy_first_tooth", "label": N_("Eruption of 1st tooth")},
            {"key": "infancy_pulls_to_stand", "label": N_("Pulls self to standing position")},
            {
                "key": "infancy_walks_holding_on",
                "label": N_("Walks while holding on to something (e.g. hand)"),
            },
            {
                "key": "infancy_mama_dada",
                "label": N_("Says for example mama and dada, using terms appropriately"),
            },
            {"key": "infancy_drinks_from_cup", "label": N_("Able to drink from a cup")},
            {
                "key": "infancy_understands_no",
                "label": N_('Understands "NO" and will stop activity in response'),
            },
            {"key": "infancy_walks_alone", "label": N_("Walks without support")},
            {
                "key": "infancy_eight_words",
                "label": N_("Uses up to 8 words and understands simple commands"),
            },
            {"key": "infancy_feeds_self", "label": N_("Starts to try to feed self")},
            {
                "key": "infancy_names_pictures",
                "label": N_("Can name pictures of common objects and point to body parts"),
            },
            {
                "key": "infancy_imitates_speech",
                "label": N_('Imitates speech of others, "echoing" word back'),
            },
            {"key": "infancy_states_name", "label": N_("Able to state name")},
        ],
    },
    {
        "key": "early_childhood",
        "label": N_("Early childhood 3 – 6 years"),
        "min_age": 3,
        "max_age": 7,
        "milestones": [
            {
                "key": "early_childhood_takes_turns",
                "label": N_("Learns to take turns (if directed) while playing with other children"),
            },
            {
                "key": "early_childhood_feeds_neatly",
                "label": N_("Able to feed self neatly, with minimal spilling"),
            },
            {
                "key": "early_childhood_runs_turns",
                "label": N_("Able to run, turn and walk backwards"),
            },
            {
                "key": "early_childhood_draws_line_circle",
                "label": N_("Able to draw a line and circle (when shown one)"),
            },
            {
                "key": "early_childhood_colours",
                "label": N_("Recognises and labels colours appropriately (if taught)"),
            },
            {
                "key": "early_childhood_dresses_self",
                "label": N_("Dresses self with only minimal help"),
            },
            {
                "key": "early_childhood_shares",
                "label": N_("Learns to share (without adult direction)"),
            },
            {
                "key": "early_childhood_stick_figures",
                "label": N_("Able to draw stick figures with 2 to 3 features for people"),
            },
            {"key": "early_childhood_hops", "label": N_("Hops on one foot")},
            {"key": "early_childhood_catches_ball", "label": N_("Catches a bounced ball")},
            {
                "key": "early_childhood_size_concepts",
                "label": N_("Understands differences in size concepts"),
            },
            {"key": "early_childhood_rhymes", "label": N_("Enjoys rhymes and word play")},
            {
                "key": "early_childhood_independent",
                "label": N_("Enjoys doing most things independently, without help"),
            },
            {"key": "early_childhood_time_concepts", "label": N_("Understands time concepts")},
            {
                "key": "early_childhood_written_words",
                "label": N_("Begins to recognise written words; reading skills start (if taught)"),
            },
            {
                "key": "early_childhood_gender_differences",
                "label": N_("Recognises gender differences"),
            },
        ],
    },
    {
        "key": "middle_childhood",
        "label": N_("Middle childhood 7 – 12 years"),
        "min_age": 7,
        "max_age": 13,
        "milestones": [
            {
                "key": "middle_childhood_sequential_directions",
                "label": N_("Understands and able to follow sequential directions"),
            },
            {
                "key": "middle_childhood_team_sports",
                "label": N_("Beginning skills for team sports (football etc.)"),
            },
            {
                "key": "middle_childhood_permanent_teeth",
                "label": N_('Loses "baby" teeth and erupts permanent teeth'),
            },
            {
                "key": "middle_childhood_routines",
                "label": N_("Routines important for daytime activities"),
            },
            {
                "key": "middle_childhood_reading",
                "label": N_("Reading skills develop further (if taught)"),
            },
            {
                "key": "middle_childhood_peer_recognition",
                "label": N_("Peer recognition begins to become important"),
            },
            {
                "key": "middle_childhood_girls_puberty",
                "label": N_(
                    "Girls may begin to show growth of armpit and pubic hair, breast development"
                ),
            },
            {
                "key": "middle_childhood_menarche",
                "label": N_("Menarche (1st menstrual period) may occur in girls"),
            },
        ],
    },
    {
        "key": "adolescence",
        "label": N_("Adolescent 13 to 18 years"),
        "min_age": 13,
        "max_age": 18,
        "milestones": [
            {
                "key": "adolescence_boys_puberty",
                "label": N_(
                    "Boys show growth of armpit, chest, and pubic hair; voice changes; and "
                    "testicular/penile enlargement"
                ),
            },
            {
                "key": "adolescence_girls_puberty",
                "label": N_(
                    "Girls show growth of armpit and pubic hair; breast development; menstrual "
                    "periods"
                ),
            },
            {
                "key": "adolescence_adult_size",
                "label": N_("Adult height, weight, sexual maturity reached"),
            },
            {
                "key": "adolescence_abstract_concepts",
                "label": N_("Understands abstract concepts"),
            },
            # Source: "Peer acceptance and recognition is importance".
            {
                "key": "adolescence_peer_acceptance",
                "label": N_("Peer acceptance and recognition is important"),
            },
            {
                "key": "adolescence_future_plans",
                "label": N_("Makes concrete plans for future / life as an adult"),
            },
        ],
    },
]

# ---------------------------------------------------------------------------
# Assessment process (Appendix 5)
# ---------------------------------------------------------------------------

ASSESSMENT_PURPOSES = [
    {
        "key": "holistic_needs",
        "label": N_(
            "The holistic needs of the child, in relation to their age and development and in "
            "consideration with the dimensions of wellbeing"
        ),
    },
    {
        "key": "risks",
        "label": N_("Risks to the child in the short, medium and long term"),
    },
    {
        "key": "strengths",
        "label": N_("The strengths and resources of the child, family and community"),
    },
]

ASSESSMENT_TIMESCALE = N_(
    "The assessment should be completed within 14 working days from referral."
)

ASSESSMENT_STEPS = [
    {
        "key": "planning",
        "label": N_("Assessment planning"),
        "description": N_(
            "This stage involves deciding what information is needed, who is going to get it "
            "and from where and when. In an immediate or high risk case, or where the "
            "situation is very complex, it may be useful to call together a strategy meeting "
            "of the agencies who already have contact with the family to help plan the "
            "assessment and share activities."
        ),
    },
    {
        "key": "gathering",
        "label": N_("Gathering information"),
        "description": N_(
            "This stage involves gathering all information that may be relevant. Confidentiality "
            "is critical and it is important that those carrying out the assessment do not "
            "share information outside or gossip!"
        ),
    },
    {
        "key": "verifying",
        "label": N_("Verifying information"),
        "description": N_(
            "Often when undertaking an assessment different information / stories are told. "
            "It is important to check with others to make sure that the information is correct."
        ),
    },
    {
        "key": "analysis",
        "label": N_("Analysis"),
        "description": N_(
            "This involves evaluating all the information in order to determine the situation "
            "for the child and the risks to which they are exposed in order to make a more "
            "rigorous determination of the level of risks and the needs of the child. "
            "Sometimes it is difficult to analyse the information, and in which case this step "
            "can be left for discussion and agreement at the CMR."
        ),
    },
]

ASSESSMENT_METHODS = [
    {
        "key": "file_check",
        "label": N_("Checking information held on file / from previous reports"),
    },
    {
        "key": "professional_interviews",
        "label": N_("Interviews and meeting with people who have been working with the family"),
    },
    {"key": "family_interviews", "label": N_("Interviews with family members")},
    {"key": "child_interview", "label": N_("Interview with the child")},
    {
        "key": "community_interviews",
        "label": N_("Interviews with the local community / village committee members etc"),
    },
    {
        "key": "family_observation",
        "label": N_(
            "Family observations (to assess the way the family relates to each other / dynamics)"
        ),
    },
    {
        "key": "home_visit",
        "label": N_("Home visits (to check the home environment of the child)"),
    },
]

ASSESSMENT_NOTE = N_(
    "When analysing the information obtained through the assessment, needs rather than "
    "services should be identified. For example the need is for education, school is a service."
)

# ---------------------------------------------------------------------------
# Agencies (Task Force composition, Article 3; roles from "Roles and
# Responsibilities of the CMR Members")
# ---------------------------------------------------------------------------

# Article 3 also lists "Terre des hommes Foundation – Representative", which supports the
# coordinator until Task Forces are institutionalised (Article 6); the exchange format
# has no key for it (record it as ``other``).
AGENCIES = {
    "csw": {
        "label": N_("Center for Social Work"),
        "representative": N_("Social Worker"),
        "role": N_(
            "Social Worker for Child Protection (Center for Social Work) coordinates and chairs "
            "the monthly meetings of the CMR. Conducts Assessment for the referred cases, gives "
            "professional opinions and ideas to care plan for the child, and carries out "
            "monitoring visits to the family."
        ),
    },
    "dhsw": {
        "label": N_("Municipal Directorate of Health and Social Welfare"),
        "representative": N_("Social Worker"),
        "role": N_(
            "Directorate for Health and Social Welfare supports the CMR for specific cases "
            "which require health treatment and specific social welfare help, and supports in "
            "coordination with the municipal level."
        ),
    },
    "education": {
        "label": N_("Municipal Directorate of Education"),
        "representative": N_("Education Officer"),
        "role": N_(
            "The representative of the Directorate of Education coordinates with schools in "
            "order to identify and refer cases and is involved in the school integration of "
            "the cases under the management of CMR. Their main role is to coordinate the "
            "actions of the Pedagogue Psychologist/School Director/Municipal Directorate of "
            "Education with the CMR."
        ),
    },
    "school_psychologist": {
        "label": N_("School Psychologist/Pedagogue"),
        "representative": N_("School Psychologist/Pedagogue"),
        "role": N_(
            "School Psychologist provides professional opinion and help in the treatment of cases."
        ),
    },
    "probation": {
        "label": N_("Probation Service of Kosovo"),
        "representative": N_("Probation Service Officer"),
        "role": N_(
            "Probation Service Officer (Ministry of Justice) is responsible in the CMR for the "
            "management of cases of minors in conflict with the law from 14-18 years old. They "
            "follow any trial and support the implementation of measures set out by the courts "
            "/ legal process in relation to young offenders."
        ),
    },
    "victim_advocate": {
        "label": N_("Division for Protection and Help for Victims"),
        "representative": N_("Victims Advocate"),
        "role": N_(
            "Victim Advocates are authorized official persons who provide support and "
            "assistance to crime victims access to justice. The Victim Advocate is included in "
            "the CMR with a specific remit to help coordinate with anti-trafficking police and "
            "in cases where criminal investigations and procedures are also being followed."
        ),
    },
    "police_community": {
        "label": N_("Kosovo Police – Community Police"),
        "representative": N_("Representative"),
        "role": N_(
            "Community Police helps the CMR in coordination with the Police Units which do not "
            "have representatives in the CMR. Participates in projects that are related to "
            "child protection as a partner with NGOs or other institutions that are part of "
            "the CMR."
        ),
    },
    "police_trafficking": {
        "label": N_("Kosovo Police – Investigation Sector of Trafficking with Human Beings"),
        "representative": N_("Representative"),
        "role": N_(
            "Anti-trafficking Police – in addition to identifying trafficked children and "
            "referring them to the CSW for further management, investigates groups involved in "
            "the trafficking. They are also involved in the placement of children in shelters "
            "in cooperation with Centers of Social Work."
        ),
    },
    "police_domestic_violence": {
        "label": N_("Kosovo Police – Investigation Sector of Domestic Violence"),
        "representative": N_("Representative"),
        "role": N_(
            "Domestic Violence Police – in addition to referring cases and being involved in "
            "the assessment and development of the action plan they investigate cases. Where "
            "there are suspicions and it is difficult to verify the evidence for a criminal "
            "case to proceed they provide details of information gathered to be able to inform "
            "decisions about risk and the care plan."
        ),
    },
    # No role paragraph in the protocol for the next three: one line from Article 3.
    "family_medicine": {
        "label": N_("Family Medical Center"),
        "representative": N_("Doctor"),
        "role": N_("A doctor represents the Family Medical Center in the Task Force."),
    },
    "mental_health": {
        "label": N_("Mental Health Center"),
        "representative": N_("Psychiatrist"),
        "role": N_("A psychiatrist represents the Mental Health Center in the Task Force."),
    },
    "community_office": {
        "label": N_("Municipal Community Office"),
        "representative": N_("Community Officer"),
        "role": N_(
            "Community Office helps to identify, refer and manage cases from the RAE community "
            "in the CMR. This includes supporting monitoring visits and gathering data."
        ),
    },
    "residential_institution": {
        "label": N_("Residential Institutions"),
        "representative": N_("Representative"),
        "role": N_(
            "A representative of the residential institutions is a member of the Task Force."
        ),
    },
    "ngo": {
        "label": N_("Non-Governmental Organizations working in child protection field"),
        "representative": N_("Representative(s)"),
        "role": N_(
            "Local NGO – Offer services for cases presented in the CMR, based on the projects "
            "that they are implementing."
        ),
    },
    "child_rights_officer": {
        "label": N_("Municipal Office for Human Rights"),
        "representative": N_("Child Rights Officer"),
        "role": N_(
            "The Child Rights Officer represents the Municipal Office for Human Rights in the "
            "Task Force; in the future the coordination of the Task Force can be assigned to "
            "them (Article 6)."
        ),
    },
    "other": {
        "label": N_("Other"),
        "representative": N_("Representative"),
        "role": N_(
            "Regardless of its current composition, the Task Force remains an open "
            "multidisciplinary group to other relevant professionals working in child "
            "protection."
        ),
    },
}

# ---------------------------------------------------------------------------
# Case Management Roundtable (CMR) meetings
# ---------------------------------------------------------------------------

MEETING_KINDS = {
    "initial": N_("Initial CMR"),
    "review": N_("Review CMR"),
    "closure": N_("Closure CMR"),
    "extraordinary": N_("Extraordinary meeting"),
}

MEETING_STATUSES = {
    "planned": N_("Planned"),
    "held": N_("Held"),
    "cancelled": N_("Cancelled"),
}

# An agency's answer to an invitation (Internal Regulations, Article 8: a member who
# cannot attend appoints another representative of their institution).
INVITATION_ANSWERS = {
    "attending": N_("Attending"),
    "apologies": N_("Apologies"),
    "substitute": N_("Sending a substitute"),
}

# The protocol's timescales, one row each: the deadline kind it sets, how much of
# which unit, before or after which event.  The rules compute every due date from
# this table and the deadline names are formatted from it, so the two cannot
# disagree.  (One kind may have two rows: the care plan goes out with the minutes
# after the initial CMR, within one week after a review that changed it.)
TIMESCALES = [
    {"key": "assessment", "kind": "assessment", "amount": 14, "unit": "working_days",
     "direction": "after", "event": "referral", "duty": N_("Assessment completed")},
    {"key": "initial_cmr", "kind": "initial_cmr", "amount": 1, "unit": "months",
     "direction": "after", "event": "assessment", "duty": N_("Initial CMR held")},
    {"key": "invitation", "kind": "invitation", "amount": 3, "unit": "days",
     "direction": "before", "event": "cmr", "duty": N_("Invitation and agenda sent")},
    {"key": "assessment_sent", "kind": "assessment_sent", "amount": 2,
     "unit": "working_days", "direction": "before", "event": "initial_cmr",
     "duty": N_("Assessment and draft care plan sent")},
    {"key": "progress_report", "kind": "progress_report", "amount": 3, "unit": "days",
     "direction": "before", "event": "follow_up_cmr", "duty": N_("Progress report sent")},
    {"key": "apologies", "kind": "apologies", "amount": 24, "unit": "hours",
     "direction": "before", "event": "cmr", "duty": N_("Apologies sent")},
    {"key": "family_notified", "kind": "family_notified", "amount": 3, "unit": "days",
     "direction": "before", "event": "cmr",
     "duty": N_("Family and child notified, their views sought")},
    {"key": "minutes", "kind": "minutes", "amount": 2, "unit": "weeks",
     "direction": "after", "event": "cmr", "duty": N_("Minutes distributed")},
    {"key": "care_plan_initial", "kind": "care_plan_distribution", "amount": 2,
     "unit": "weeks", "direction": "after", "event": "initial_cmr",
     "duty": N_("Care plan distributed")},
    {"key": "care_plan_review", "kind": "care_plan_distribution", "amount": 1,
     "unit": "weeks", "direction": "after", "event": "review_cmr",
     "duty": N_("Care plan distributed")},
    {"key": "outcome_told", "kind": "outcome_told", "amount": 1, "unit": "weeks",
     "direction": "after", "event": "cmr",
     "duty": N_("Outcome told to the absent family and child")},
    {"key": "next_review", "kind": "next_review", "amount": 1, "unit": "months",
     "direction": "after", "event": "cmr", "duty": N_("Next review CMR held")},
    {"key": "cmr_interval", "kind": "cmr_interval", "amount": 3, "unit": "months",
     "direction": "after", "event": "cmr", "duty": N_("CMR held again")},
]

# The events a timescale counts from, as a reader names them.
TIMESCALE_EVENTS = {
    "referral": N_("the referral"),
    "assessment": N_("the completed assessment"),
    "cmr": N_("the CMR"),
    "initial_cmr": N_("the initial CMR"),
    "follow_up_cmr": N_("each follow-up CMR"),
    "review_cmr": N_("a review CMR that changed the plan"),
}

CMR_PROCESS = {
    "before": [
        {
            "key": "agree_date",
            "text": N_(
                "The Head of Social Services in close cooperation with the Case Manager and CSW "
                "Director agree the date of the meeting and send out necessary invitations and "
                "relevant information."
            ),
        },
        {
            "key": "participants_list",
            "text": N_(
                "A participants list should be prepared. For the initial CMR and when it is "
                "proposed to close a case all agencies should be invited. In follow up CMRs "
                "only those agencies who are involved with the family should be invited."
            ),
        },
        {
            "key": "invitations",
            "text": N_(
                "Invitations should be sent (see Appendix 6) together with agenda for the meeting."
            ),
        },
        {
            "key": "date_in_agreement",
            "text": N_(
                "The date for the meeting should be set in agreement with the participants, as "
                "far as this is possible."
            ),
        },
        {
            "key": "apologies",
            "text": N_(
                "If agencies / members cannot attend the meeting they should notify the CSW at "
                "least 24 hours in advance and provide any additional information they may have "
                "on the case in order to feed into discussions at the meeting."
            ),
        },
        {
            "key": "send_assessment",
            "text": N_(
                "Agencies should be sent a copy of the assessment at least two working days in "
                "advance of the initial meeting. This should include an in-depth case analysis "
                "which identifies the identified child protection concerns, protective "
                "influences and a summary of attempts to help the family to date (see Appendix "
                "5 for assessment form and further information on assessment process)."
            ),
        },
        {
            "key": "late_assessment",
            "text": N_(
                "Where it is not possible to complete the assessment in time, for example in a "
                "high risk case, information can be provided at the meeting but this should be "
                "avoided where possible in order to give participants the time to review "
                "information."
            ),
        },
        {
            "key": "send_draft_plan",
            "text": N_(
                "A draft care plan / suggestions for action should be sent together with the "
                "assessment (see Appendix 7)."
            ),
        },
        {
            "key": "progress_reports",
            "text": N_(
                "For follow up CMRs members should submit a written progress report at least "
                "three days in advance of the meeting using the standard format (see Appendix "
                "7)."
            ),
        },
        {
            # Source: "... notified about the meeting and their views should." (cut short).
            "key": "notify_family",
            "text": N_(
                "The CSW should confirm that the family and child have been notified about the "
                "meeting and their views should be sought. They should confirm whether the "
                "family intend to attend the meeting and if so make sure that arrangements are "
                "in place in order to ensure their attendance is supported."
            ),
        },
    ],
    "during": [
        {
            "key": "welcome",
            "text": N_(
                "CSW as chair welcomes participants, explains the purpose of the meeting and "
                "gives introductions."
            ),
        },
        {
            # Source: "Normally this is SWC CSW".
            "key": "minute_taker",
            "text": N_(
                "Agree who will take notes and produce the minutes of the meeting. Normally "
                "this is the CSW, but if this is not possible another member of CMR can minute. "
                "See Appendix 7 for the format of the minutes, which should be used in all "
                "cases."
            ),
        },
        {
            "key": "confidentiality",
            "text": N_(
                "Participants should be reminded of confidentiality rules: they should share "
                "information on a 'need to know' basis and refrain from sharing 'nice to know' "
                "information."
            ),
        },
        {
            "key": "participation",
            "text": N_(
                "All participants should be given the opportunity to participate and share "
                "their views. If the family is invited they should also be given the "
                "opportunity to participate, but this must be done in a sensitive and "
                "empowering way. The main purpose of the meeting is to share information and "
                "agree an action plan – not to 'cross examine' the family and make them justify "
                "their actions."
            ),
        },
        {
            "key": "consider_assessment",
            "text": N_(
                "Participants consider the assessment and also provide updated information, "
                "since the situation may have changed in the meantime. This discussion should "
                "also include a discussion of the strengths and resources (i.e. protective "
                "factors)."
            ),
        },
        {
            "key": "agree_risk_level",
            "text": N_(
                "Following discussion, the participants should be asked to agree the risk level "
                "for the case. If the case is judged to be no, or low risk, based on the "
                "information presented and the discussions, then the case can be closed. This "
                "does not mean that further support will not be provided, but that this can be "
                "agreed with the family outside of the CMR."
            ),
        },
        {
            "key": "appoint_case_manager",
            "text": N_(
                "Case manager should be appointed. This will typically be the Social Worker but "
                "another worker can be nominated to coordinate and follow up actions if this is "
                "more appropriate. For example if one member has a positive relationship with "
                "the family."
            ),
        },
        {
            "key": "agree_plan",
            "text": N_(
                "Plan should be developed and agreed, identifying key actions and "
                "responsibilities and timeframes. See Appendix 7 for template. This should also "
                "include contingency arrangements i.e. what will happen if the plan or parts of "
                "it cannot be met and alternative courses of action."
            ),
        },
        {
            "key": "next_meeting",
            "text": N_(
                "Agree and set time for next meeting (i.e. review CMR). This should be after "
                "one month, unless agreed otherwise at the meeting. If the review period is not "
                "one month, the reason for this should be documented in the minutes."
            ),
        },
        {"key": "thanks", "text": N_("Thank participants for attendance.")},
    ],
    "after": [
        {
            "key": "minutes",
            "text": N_(
                "CSW should produce minutes of the meeting, and agreed action plan, using the "
                "standard templates and distribute to all members within two weeks of the "
                "meeting."
            ),
        },
        {
            "key": "file_minutes",
            "text": N_(
                "Case manager / CSW should ensure a copy of the minutes and any supporting "
                "documents (e.g. plan) is placed on the child's file."
            ),
        },
        {
            "key": "notify_family",
            "text": N_(
                "If not present at the meeting, the child and family should be notified of the "
                "outcome of the meeting by the case manager / CSW."
            ),
        },
        {
            "key": "update_agencies",
            "text": N_(
                "Participants at the meeting should update managers and coordinate within their "
                "agencies to ensure the implementation of action points identified for their "
                "agency."
            ),
        },
        {
            "key": "follow_up",
            "text": N_(
                "The case manager should maintain regular contact with those named on the plan "
                "to follow up on agreed actions."
            ),
        },
        {
            "key": "implement_actions",
            "text": N_(
                "Action points from the plan should be implemented in line with the plan. Where "
                "action points cannot be implemented in accordance with the plan, the case "
                "manager should be immediately advised."
            ),
        },
    ],
}

# Appendix 6 – Invitation/Agenda
CMR_AGENDA = [
    {
        "key": "assessment_of_situation",
        "label": N_("The assessment of the situation"),
        "items": [],
    },
    {
        "key": "case_presentation",
        "label": N_(
            "The identification and the referral of cases for management to CMR; the "
            "presentation of the case by the case manager and the share of responsibilities."
        ),
        "items": [
            {"key": "case_description", "label": N_("Case description")},
            {"key": "categorization", "label": N_("The categorization of the case")},
            {"key": "action_plan", "label": N_("Action Plan")},
        ],
    },
    {"key": "other", "label": N_("Other"), "items": []},
    {"key": "next_meeting", "label": N_("The arrangement of the next meeting"), "items": []},
]

# Appendix 7 – Template of Reporting/Minutes Meetings of CMR.  The child's name appears
# only inside the Task Force; outside it the case code is used (Article 10).
MINUTES_SECTIONS = [
    {"key": "client", "label": N_("Client's name and surname / case code")},
    {"key": "referred_by", "label": N_("Referred by (case manager)")},
    {"key": "risk", "label": N_("Medium / High risk case")},
    {
        "key": "meeting_date",
        "label": N_("The date of the meeting of CMR (Case Management Round Table)"),
    },
    {
        "key": "assessment",
        "label": N_(
            "Information about the case / Assessment of the case by CPSW (Child Protection "
            "Social Worker)"
        ),
    },
    {"key": "actions_case_manager", "label": N_("Actions undertaken by case manager (CSW)")},
    {
        "key": "description",
        "label": N_("Description of the case during the meeting (minutes of the meeting)"),
    },
    {"key": "action_plan", "label": N_("Unified Action Plan")},
    {
        "key": "review",
        "label": N_("Review: (results presented by stakeholders based on Action Plan)"),
    },
    {"key": "participants", "label": N_("Participants")},
]

# The "Case closure" part of Appendix 7 (closure date, responsible person,
# participants), with the reason and the views the closing procedure asks to record.
CLOSURE_FORM_SECTIONS = [
    {"key": "closure_date", "label": N_("Closure date")},
    {"key": "responsible", "label": N_("The person responsible for the case")},
    {"key": "participants", "label": N_("Participants")},
    {"key": "reason", "label": N_("Reason for closing the case")},
    {"key": "views", "label": N_("Views of the child and family")},
]

# ---------------------------------------------------------------------------
# Care plan
# ---------------------------------------------------------------------------

CARE_PLAN_PURPOSES = [
    N_("Ensure the child is safe and risk factors are reduced"),
    N_("Promote the best interests and meet the holistic needs of the child"),
    N_(
        "Provide support for the family so that they can appropriately care for and protect the "
        "child"
    ),
]

CARE_PLAN_TERMS = {
    "short": N_("Short term"),
    "medium": N_("Medium term"),
    "long": N_("Long term"),
}

ACTION_STATUSES = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "not_done": N_("Not done"),
    "cancelled": N_("Cancelled"),
}

# ---------------------------------------------------------------------------
# Closing cases
# ---------------------------------------------------------------------------

CLOSURE_REASONS = {
    "over_18": N_("When the child is over 18 years old"),
    "risk_reduced": N_(
        "When the interventions implemented have reduced the level of risk to low / no risk"
    ),
    "removed_no_return": N_(
        "When the child has been removed from the situation and there is no likelihood / plan "
        "for the child to return before they are 18 years old"
    ),
    # The protocol's "If the child moves / dies", split in two.
    "moved": N_("If the child moves"),
    "died": N_("If the child dies"),
}

CLOSURE_PROCEDURE = [
    N_("Cases should be closed only in agreement with the members of the CMR."),
    N_("Before closing the case the views of the child and family should be sought."),
    N_(
        "The decision to close a case, and the reasons for it should be recorded on the case "
        "closure form (see Appendix 7), with a copy of the form being placed on the child's file."
    ),
    N_(
        "For medium and high risk cases the decision to close should be agreed at a CMR "
        "meeting with ALL agencies."
    ),
    N_(
        "Closing a case does not mean that work stops with the child and the family. Other "
        "agencies and the Social Work Centre may continue to provide support."
    ),
]

# ---------------------------------------------------------------------------
# Confidentiality and consent
# ---------------------------------------------------------------------------

CONFIDENTIALITY_RULES = [
    N_(
        "All the cases managed in the Task Force will be identified with a specific and unique "
        "code for each of them. Each document regarding these cases will have its own code "
        "instead of the name when it is used in electronic correspondence or when such "
        "document is presented out of the Task Force for data protection and confidentiality."
    ),
    N_(
        "Only the Task Force members should have access to various Task Force documents "
        "regarding the cases."
    ),
    N_(
        "Access to information on children should be limited only to those who need to know "
        "it. Information should be passed only to a person designated to receive it, for "
        "clearly defined purposes, such as a line manager or partner agency."
    ),
    N_(
        "Each case should be stored in its own individual (paper or electronic) file, clearly "
        "labelled with the ID code on the outside of the file. The child's name should not "
        "appear on the outside of the file."
    ),
    N_(
        "Sensitive data, such as names etc., should not be transmitted by email except using "
        "secure, encrypted email systems."
    ),
    N_(
        "Agencies should make arrangements so that a child can view the information held on "
        "file if they wish."
    ),
    N_(
        "Participants should be reminded of confidentiality rules: they should share "
        "information on a 'need to know' basis and refrain from sharing 'nice to know' "
        "information."
    ),
]

CONSENT_VALUES = {
    "given": N_("Given"),
    "refused": N_("Refused"),
    "not_sought": N_("Not sought"),
    "not_applicable": N_("Not applicable"),
}

# ---------------------------------------------------------------------------
# The child's identifying data
# ---------------------------------------------------------------------------

SEX = {
    "female": N_("Female"),
    "male": N_("Male"),
    "other": N_("Other"),
    "unknown": N_("Unknown"),
}

DISABILITY = {
    "none": N_("None"),
    "mild": N_("Mild"),
    "moderate": N_("Moderate"),
    "severe": N_("Severe"),
}

"""The month names of every cpkit language, wide and short, lower case, as Babel 2.19.0
gives them (written by ``cpkit.access.redact.month_names_text``; read by the redactor
without importing Babel).  Generated: do not edit."""

LIBRARY = "2.19.0"
MONTHS = {
    1: ('january', 'januar', 'јануар', 'janar', 'jan', 'јан'),
    2: ('february', 'februar', 'фебруар', 'shkurt', 'feb', 'shk', 'феб'),
    3: ('march', 'mars', 'mart', 'март', 'mar', 'мар'),
    4: ('april', 'prill', 'април', 'apr', 'pri', 'апр'),
    5: ('maj', 'may', 'мај'),
    6: ('qershor', 'june', 'jun', 'qer', 'јун'),
    7: ('korrik', 'july', 'korr', 'jul', 'јул'),
    8: ('august', 'avgust', 'август', 'gusht', 'gush', 'aug', 'avg', 'авг'),
    9: ('septembar', 'september', 'септембар', 'shtator', 'sep', 'sht', 'сеп'),
    10: ('october', 'oktobar', 'октобар', 'tetor', 'oct', 'okt', 'tet', 'окт'),
    11: ('novembar', 'november', 'новембар', 'nëntor', 'nov', 'nën', 'нов'),
    12: ('decembar', 'december', 'децембар', 'dhjetor', 'dec', 'dhj', 'дец'),
}

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "yiyang.web"
    label = "web"
    verbose_name = "网页外壳"

    def ready(self) -> None:
        from yiyang.community.queries import register_outbreak_source

        # Community and infection are siblings in the layers; web, above both, tells the
        # community ledger's outbreak help whether the county has an open outbreak.
        register_outbreak_source(county_has_open_outbreak)


def county_has_open_outbreak(county_code: str) -> bool:
    """Whether any home in the county has an outbreak not yet closed. A yes/no fact about the
    county (no home, person or count is revealed), so it is asked without an actor's scope."""
    from yiyang.infection.models import Outbreak
    from yiyang.infection.rules import State

    return (Outbreak.objects.filter(region_code__startswith=county_code[:6])
            .exclude(state=State.CLOSED).exists())

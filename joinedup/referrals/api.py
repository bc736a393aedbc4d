"""`POST /api/v1/referrals`: a partner organisation's system refers a child."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.children import services as children
from joinedup.children.models import Ethnicity, Relationship, Religion, Sex
from joinedup.core.api import RateLimitThrottle, idempotent, problem
from joinedup.core.rate_limits import REFERRAL_API
from joinedup.core.validators import no_markup
from joinedup.organisations.models import Locality, Organisation, OrganisationKind
from joinedup.referrals import services
from joinedup.referrals.models import Concern, FamilyAware, Referral, Urgency


def _text(max_length: int, *, required: bool = True) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        default="" if not required else serializers.empty,
        validators=[no_markup],
    )


class AddressSerializer(serializers.Serializer[Any]):
    line_1 = _text(150)
    postcode = serializers.RegexField(
        r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$",
        max_length=8,
        error_messages={"invalid": "Enter a real postcode, like BS5 6XY."},
    )
    locality = serializers.SlugRelatedField(
        slug_field="slug", queryset=Locality.objects.all(), help_text="The locality's slug."
    )


class CarerSerializer(serializers.Serializer[Any]):
    full_name = _text(150)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    has_parental_responsibility = serializers.BooleanField()


class ChildSerializer(serializers.Serializer[Any]):
    given_name = _text(100)
    family_name = _text(100)
    preferred_name = _text(100, required=False)
    date_of_birth = serializers.DateField(help_text="YYYY-MM-DD")
    sex = serializers.ChoiceField(choices=Sex.choices)
    nhs_number = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    other_names = serializers.ListField(
        child=_text(100), required=False, default=list, max_length=10
    )
    ethnicity = serializers.ChoiceField(
        choices=Ethnicity.choices, required=False, default=Ethnicity.NOT_RECORDED
    )
    first_language = _text(60, required=False)
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    religion = serializers.ChoiceField(
        choices=Religion.choices, required=False, allow_blank=True, default=""
    )
    school = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.filter(kind=OrganisationKind.SCHOOL),
        required=False,
        allow_null=True,
        default=None,
        help_text="The school's slug in JoinedUp's list of organisations.",
    )
    address = AddressSerializer()
    carer = CarerSerializer()


class ReferralRequestSerializer(serializers.Serializer[Any]):
    child = ChildSerializer()
    relationship_to_child = _text(150)
    concerns = serializers.SlugRelatedField(
        slug_field="label",
        queryset=Concern.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text="Labels from the partnership's list of reasons.",
    )
    concerns_other = _text(2000, required=False)
    what_has_been_tried = _text(4000)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    family_aware = serializers.ChoiceField(choices=FamilyAware.choices)
    family_not_aware_reason = _text(2000, required=False)
    safeguarding_concern = serializers.BooleanField()
    safeguarding_details = _text(4000, required=False)


class EligibilitySerializer(serializers.Serializer[Any]):
    rule = serializers.CharField()
    met = serializers.BooleanField()
    explanation = serializers.CharField()


class ReferralResponseSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    child_reference = serializers.CharField(source="child.reference")
    status = serializers.CharField()
    eligibility = EligibilitySerializer(many=True)
    signposting = serializers.CharField()
    submitted_at = serializers.DateTimeField()


# Where a service's error about a field appears in the request body.
API_FIELD = {
    "date_of_birth": "child.date_of_birth",
    "nhs_number": "child.nhs_number",
    "household_full_name": "child.carer.full_name",
    "address_postcode": "child.address.postcode",
    "address_line_1": "child.address.line_1",
}


class ReferralThrottle(RateLimitThrottle):
    scope = REFERRAL_API


class ReferralCreateView(APIView):
    throttle_classes = [ReferralThrottle]

    @extend_schema(
        operation_id="referral_create",
        summary="Refer a child",
        request=ReferralRequestSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Unique per referral; send the same key again when you retry.",
            )
        ],
        responses={
            201: ReferralResponseSerializer,
            400: OpenApiResponse(description="Errors in the request, field by field"),
            401: OpenApiResponse(description="No token, or one that is not valid"),
            422: OpenApiResponse(description="Idempotency-Key reused for a different request"),
            429: OpenApiResponse(
                description=(
                    "Too many requests this minute from this token (120 unless the partnership "
                    "set another number): wait the seconds in Retry-After, then retry with the "
                    "same Idempotency-Key"
                )
            ),
        },
    )
    def post(self, request: Request) -> Response:
        token = request.auth

        def perform() -> Response:
            serializer = ReferralRequestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            return self._submit(request, token, serializer.validated_data)

        return idempotent(
            client=f"api-token:{token.pk}",
            key=request.headers.get("Idempotency-Key"),
            data=request.data,
            perform=perform,
        )

    def _submit(self, request: Request, token: Any, data: dict[str, Any]) -> Response:
        child, address, carer = data["child"], data["child"]["address"], data["child"]["carer"]
        child_details = children.ChildDetails(
            given_name=child["given_name"],
            family_name=child["family_name"],
            preferred_name=child["preferred_name"],
            date_of_birth=child["date_of_birth"],
            sex=child["sex"],
            nhs_number=child["nhs_number"],
            other_names=child["other_names"],
            ethnicity=child["ethnicity"],
            first_language=child["first_language"],
            interpreter_needed=child["interpreter_needed"],
            religion=child["religion"],
            school=child["school"],
            address=children.AddressDetails(
                line_1=address["line_1"], postcode=address["postcode"], locality=address["locality"]
            ),
            household=[
                children.HouseholdMemberDetails(
                    full_name=carer["full_name"],
                    relationship=carer["relationship"],
                    has_parental_responsibility=carer["has_parental_responsibility"],
                )
            ],
        )
        details = services.ReferralDetails(
            organisation=token.organisation,
            relationship_to_child=data["relationship_to_child"],
            concerns=data.get("concerns", []),
            concerns_other=data["concerns_other"],
            what_has_been_tried=data["what_has_been_tried"],
            urgency=data["urgency"],
            family_aware=data["family_aware"],
            family_not_aware_reason=data["family_not_aware_reason"],
            safeguarding_concern=data["safeguarding_concern"],
            safeguarding_details=data["safeguarding_details"],
        )
        try:
            referral: Referral = services.referral_submit(
                actor=request.user, child=child_details, details=details
            )
        except (services.ReferralError, children.ChildRecordError) as error:
            field = API_FIELD.get(error.field or "", error.field or "request")
            return problem(
                status.HTTP_400_BAD_REQUEST,
                "The request has errors",
                "Correct each field named in errors and send the request again.",
                [{"field": field, "message": error.message}],
            )
        body = ReferralResponseSerializer(referral).data
        return Response(body, status=status.HTTP_201_CREATED)

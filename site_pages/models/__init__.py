from .base import ContentPage, PortalPage, UpdateClass
from .columns import ColumnPage, SpecialTopicPage
from .content import ArticlePage, InterpretationPage, NoticePage, PolicyDocumentPage, Validity
from .home import HomePage
from .interviews import InterviewGuest, InterviewPage, InterviewQuestion
from .letter_replies import MessageReply
from .letters import Message, MessageAttachment, MessageBoardPage, MessageEvent
from .search_stats import SearchQueryStat
from .services import ServiceGuidePage, ServiceIndexPage
from .settings import PortalSettings
from .surveys import SurveyPage, SurveyResponse

__all__ = [
    "ArticlePage",
    "ColumnPage",
    "ContentPage",
    "HomePage",
    "Message",
    "MessageAttachment",
    "MessageBoardPage",
    "MessageEvent",
    "MessageReply",
    "InterpretationPage",
    "InterviewGuest",
    "InterviewPage",
    "InterviewQuestion",
    "NoticePage",
    "PolicyDocumentPage",
    "PortalPage",
    "PortalSettings",
    "SearchQueryStat",
    "ServiceGuidePage",
    "ServiceIndexPage",
    "SpecialTopicPage",
    "SurveyPage",
    "SurveyResponse",
    "UpdateClass",
    "Validity",
]

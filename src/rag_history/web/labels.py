"""Interface labels in Turkish and English, and the choice between them.

Two kinds of words, kept apart because they follow different languages: the interface's
(header, tabs, buttons, placeholder, notices) follow the interface language; an answer bubble's
own words (badge, "about", passage labels, copy) follow the language of the question it answers,
so that one bubble never mixes two languages.
"""

from __future__ import annotations

LANGUAGES = ("tr", "en")

LABELS: dict[str, dict[str, str]] = {
    "tr": {
        # the interface
        "title": "Makaleye sorun",
        "title_many": "Ders metinlerine sorun",
        "intro": "Türkçe ya da İngilizce sorun. Yanıtlar {what} aynen alınan cümlelerdir; her birinin "
                 "ardında metnin kendi kaynak gösterimi yer alır.",
        "what_one": "makaleden",
        "what_many": "ders metinlerinden",
        "chat": "Sohbet",
        "references": "Kaynakça",
        "question": "Sorunuz",
        "placeholder": "Örneğin: Moskova Antlaşması ne zaman imzalandı?",
        "send": "Sor",
        "clear": "Temizle",
        "examples": "Örnek sorular",
        "language": "Dil",
        "source": "Metin",
        "whole_course": "Tüm ders",
        "conversation": "Sohbet",
        "empty": "Bir soru yazın: yanıtlar metinden aynen alınır ve kaynak gösterimiyle gelir. Önceki "
                 "sorulara dayanan sorular da sorabilirsiniz (\u201cPeki Kars?\u201d).",
        "pending": "Metinde aranıyor\u2026",
        "failed": "Yanıt alınamadı; lütfen yeniden deneyin.",
        "references_intro": "Metinde gösterilen her kaynak ve onu gösteren cümleler, ilk kullanım sırasıyla.",
        "references_text": "Kaynakçası gösterilen metin",
        # an answer bubble
        "sources": "Kaynak pasajlar",
        "closest": "En yakın pasajlar",
        "reference": "Kaynak",
        "no_answer": "Yanıt bulunamadı",
        "rephrase": "Metnin kullandığı adları, yerleri ya da tarihleri içeren tek ve tam bir soruyla "
                    "yeniden sormayı deneyin.",
        "about": "konu",
        "section": "Bölüm",
        "text": "Metin",
        "copy": "Kopyala",
        "copied": "Kopyalandı",
        "helpful": "Yararlı",
        "not_helpful": "Yararlı değil",
        "thanks": "Teşekkürler",
        "cited_by": "Bu kaynağı gösteren cümleler",
        "pages": "s.",
        "following": "(sonraki kaynak gösterimiyle desteklenir)",
    },
    "en": {
        # the interface
        "title": "Ask the article",
        "title_many": "Ask the course texts",
        "intro": "Ask in Turkish or English. Answers are sentences copied from {what}, each followed by "
                 "the text's own reference.",
        "what_one": "the article",
        "what_many": "the course texts",
        "chat": "Chat",
        "references": "References",
        "question": "Your question",
        "placeholder": "For example: When was the Treaty of Moscow signed?",
        "send": "Ask",
        "clear": "Clear",
        "examples": "Example questions",
        "language": "Language",
        "source": "Text",
        "whole_course": "Whole course",
        "conversation": "Conversation",
        "empty": "Type a question: answers are copied from the text, with their references. A question "
                 "may lean on the ones before it (\u201cWhen was it signed?\u201d).",
        "pending": "Looking in the text\u2026",
        "failed": "The answer could not be fetched; please try again.",
        "references_intro": "Every reference the text gives and the sentences citing it, in order of first use.",
        "references_text": "References of",
        # an answer bubble
        "sources": "Source passages",
        "closest": "Closest passages",
        "reference": "Reference",
        "no_answer": "No answer found",
        "rephrase": "Try one complete question with the names, places or dates the text uses.",
        "about": "about",
        "section": "Section",
        "text": "Text",
        "copy": "Copy",
        "copied": "Copied",
        "helpful": "Helpful",
        "not_helpful": "Not helpful",
        "thanks": "Thank you",
        "cited_by": "Sentences citing it",
        "pages": "p.",
        "following": "(supported by the next reference)",
    },
}

# The words the chat's script shows itself (chat.js), in the interface language.
SCRIPT_LABELS = ("conversation", "empty", "pending", "failed")

EXAMPLES = [
    "Moskova Antlaşması ne zaman imzalandı?",
    "Sovyet Rusya Millî Mücadele'ye nasıl yardım etti?",
    "What did Mustafa Kemal ask Lenin for in his letter?",
    "Why did Soviet Russia support the Ankara government?",
]


def known(lang: str | None) -> str:
    """The interface language for a requested one: tr or en (anything else: en)."""
    return lang if lang in LANGUAGES else "en"
